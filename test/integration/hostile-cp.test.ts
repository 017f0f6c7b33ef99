/**
 * `docker cp` against a hostile container: its rootfs holds symlinks to `/`, to
 * `/proc/self/root`, `/proc/1/root`, `../../..` and to host paths, and in the race test a
 * process inside swaps a directory and a symlink to `/` in a tight loop while many copies run
 * in and out (the race of CVE-2018-15664). Through the CLI and the archive API (HEAD, GET,
 * PUT): the host's secret is never returned, nothing is written on the host, berthd lives.
 * The plain symlink cases through the CLI (to /, /etc, host paths) are in cp.test.ts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDaemon } from '../harness';
import { tarOf, type TarEntry } from '../archive-fixtures';
import { gnuLongName, lyingSize, paxPath } from '../hostile-tars';

const d = new TestDaemon('hcp');
const MARK = `hostile-cp-${process.pid}`;
const SECRET = `/tmp/${MARK}-secret`;
const SECRET_TEXT = 'HOST SECRET\n';
let work = '';
before(async () => {
  await writeFile(SECRET, SECRET_TEXT);
  work = await mkdtemp(join(tmpdir(), 'berth-hcp-'));
  await d.start();
});
after(async () => {
  await d.stop();
  await rm(SECRET, { force: true });
  await rm(work, { recursive: true, force: true });
});

function request(method: string, path: string, body?: Buffer): Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: d.socket, method, path, headers: body ? { 'Content-Type': 'application/x-tar' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (b) => chunks.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const archive = (c: string, path: string) => `/containers/${c}/archive?path=${encodeURIComponent(path)}`;

async function ok(args: string[]): Promise<string> {
  const r = await d.cli(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Fails if the host secret was read or anything named after the marker was written outside the data root. */
async function assertHostUntouched(what: string): Promise<void> {
  assert.equal(await readFile(SECRET, 'utf8'), SECRET_TEXT, `${what}: the secret changed`);
  for (const dir of ['/', '/tmp', '/etc', '/run']) {
    const written = (await readdir(dir)).filter((n) => n.includes(MARK) && join(dir, n) !== SECRET);
    assert.deepEqual(written, [], `${what}: written on the host in ${dir}`);
  }
  assert.equal((await d.api('GET', '/_ping')).status, 200, `${what}: berthd answers`);
}

const LINKS = ['/rootlink', '/procroot', '/proc1root', '/up', '/deepup', '/hostabs'];
const SETUP = [
  'ln -s / /rootlink', 'ln -s /proc/self/root /procroot', 'ln -s /proc/1/root /proc1root', 'ln -s ../../.. /up',
  'ln -s ../../../../../../../../.. /deepup', `ln -s /tmp /hostabs`, `echo inside > /etc/${MARK}-inside`,
].join(' && ');

test('symlinks to /, /proc/self/root, /proc/1/root and ../.. lead to the container only, running or stopped', async () => {
  await ok(['run', '-d', '--name', 'hcp1', 'busybox', 'sh', '-c', `${SETUP} && exec sleep 1000`]);
  await ok(['create', '--name', 'hcp2', 'busybox', 'true']);
  const links = await tarOf([
    ...['rootlink:/', 'procroot:/proc/self/root', 'proc1root:/proc/1/root', 'up:../../..', 'deepup:../../../../../../../../..', 'hostabs:/tmp']
      .map((l) => ({ name: l.split(':')[0], type: 'symlink' as const, linkname: l.split(':')[1] })),
    { name: `etc/${MARK}-inside`, body: 'inside\n' },
  ]);
  assert.equal((await request('PUT', archive('hcp2', '/'), links)).status, 200);
  await new Promise((r) => setTimeout(r, 300));
  for (const c of ['hcp1', 'hcp2']) {
    for (const l of LINKS) {
      const secret = `${l}${SECRET}`;
      assert.equal((await request('HEAD', archive(c, secret))).status, 404, `${c} HEAD ${secret}`);
      const got = await request('GET', archive(c, secret));
      assert.equal(got.status, 404, `${c} GET ${secret}`);
      assert.ok(!got.body.includes('HOST SECRET'), `${c} GET ${secret}`);
      // through the link: what the container holds, or nothing
      const inside = await request('GET', archive(c, `${l}/etc/${MARK}-inside`));
      if (inside.status === 200) assert.ok(inside.body.includes('inside\n'), `${c} ${l}`);
      else assert.equal(inside.status, 404, `${c} ${l}`);
      // writes through the link land in the container or are refused
      const put = await request('PUT', archive(c, `${l}/tmp`), await tarOf([{ name: `${MARK}-dropped`, body: 'pwned\n' }]));
      assert.ok([200, 404].includes(put.status), `${c} PUT ${l}/tmp: ${put.status} ${put.body}`);
      // the CLI on one container (each run starts a node): the API above is what it calls
      if (c !== 'hcp1' || (l !== '/rootlink' && l !== '/procroot')) { await assertHostUntouched(`${c} ${l}`); continue; }
      const cli = await d.cli(['cp', `${c}:${secret}`, join(work, 'out')]);
      assert.equal(cli.code, 1, `${c} cp ${secret}`);
      assert.match(cli.stderr, /Could not find the file/);
      await writeFile(join(work, `${MARK}-dropped`), 'pwned\n');
      const cliIn = await d.cli(['cp', join(work, `${MARK}-dropped`), `${c}:${l}/`]);
      assert.ok(cliIn.code === 0 || /Could not find the file|no such directory/.test(cliIn.stderr), `${c} cp in ${l}: ${cliIn.stderr}`);
      await assertHostUntouched(`${c} ${l}`);
    }
    // a tar whose own entries make a symlink to the host path and write through it
    const through = await tarOf([{ name: 'esc', type: 'symlink', linkname: '/tmp' }, { name: `esc/${MARK}-through`, body: 'pwned\n' }]);
    assert.equal((await request('PUT', archive(c, '/rootlink/up'), through)).status, 200);
    const landed = await request('GET', archive(c, `/tmp/${MARK}-through`));
    assert.equal(landed.status, 200, 'it landed in the container\'s /tmp');
    await assertHostUntouched(`${c} tar symlink`);
  }
  // the container's own view agrees: its /tmp holds what was written, the host's does not
  assert.match(await ok(['exec', 'hcp1', 'ls', '/tmp']), new RegExp(`${MARK}-dropped`));
});

test('a process swapping a directory and a symlink to / while cp runs in and out never reaches the host', async () => {
  const loop = [
    'mkdir -p /race/x/tmp', `echo container-copy > /race/x/tmp/${MARK}-secret`,
    // swap /race/x between the real directory and a symlink to / as fast as busybox can
    'while :; do mv /race/x /race/real; ln -s / /race/x; mv -T /race/x /race/link 2>/dev/null || rm -f /race/x; mv /race/real /race/x; rm -f /race/link; done',
  ].join('; ');
  await ok(['run', '-d', '--name', 'hcp-race', 'busybox', 'sh', '-c', loop]);
  await new Promise((r) => setTimeout(r, 300));
  const ROUNDS = 50;
  let reads = 0;
  let writes = 0;
  const reader = async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const r = await request('GET', archive('hcp-race', `/race/x/tmp/${MARK}-secret`));
      assert.ok(!r.body.includes('HOST SECRET'), `round ${i}: the host's file was read`);
      if (r.status === 200) reads++;
    }
  };
  const writer = async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const r = await request('PUT', archive('hcp-race', '/race/x/tmp'), await tarOf([{ name: `${MARK}-dropped-api`, body: 'pwned\n' }]));
      if (r.status === 200) writes++;
    }
  };
  const cli = async () => {
    for (let i = 0; i < 6; i++) {
      const out = join(work, `race-out-${i}`);
      const r = await d.cli(['cp', `hcp-race:/race/x/tmp/${MARK}-secret`, out]);
      if (r.code === 0) assert.notEqual(await readFile(out, 'utf8'), SECRET_TEXT, 'cp out returned the host file');
      await d.cli(['cp', join(work, `${MARK}-dropped`), 'hcp-race:/race/x/tmp/']);
    }
  };
  await Promise.all([reader(), reader(), writer(), cli()]);
  await assertHostUntouched('race');
  assert.ok(reads > 0 && writes > 0, `the copies did run (${reads} reads, ${writes} writes)`);
  const state = await d.api('GET', '/containers/hcp-race/json');
  assert.equal(state.json.State.Running, true, 'the container still runs');
});

test('the same race from another container through a shared volume never reaches the host', async () => {
  const loop = [
    'mkdir -p /shared/race/x/tmp', `echo container-copy > /shared/race/x/tmp/${MARK}-secret`,
    'cd /shared/race; while :; do mv x real; ln -s / x; mv -T x link 2>/dev/null || rm -f x; mv real x; rm -f link; done',
  ].join('; ');
  await ok(['run', '-d', '--name', 'hcp-swapper', '-v', 'hcp-shared:/shared', 'busybox', 'sh', '-c', loop]);
  await ok(['run', '-d', '--name', 'hcp-victim', '-v', 'hcp-shared:/shared', 'busybox', 'sleep', '1000']);
  await new Promise((r) => setTimeout(r, 300));
  let reads = 0;
  for (let i = 0; i < 60; i++) {
    const [got, put] = await Promise.all([
      request('GET', archive('hcp-victim', `/shared/race/x/tmp/${MARK}-secret`)),
      request('PUT', archive('hcp-victim', '/shared/race/x/tmp'), await tarOf([{ name: `${MARK}-dropped-vol`, body: 'pwned\n' }])),
    ]);
    assert.ok(!got.body.includes('HOST SECRET'), `round ${i}: the host's file was read through the shared volume`);
    assert.ok(put.status < 500, `round ${i}: ${put.status} ${put.body}`);
    if (got.status === 200) reads++;
  }
  await assertHostUntouched('shared volume race');
  assert.ok(reads > 0, 'the copies did run');
  assert.equal((await d.api('GET', '/containers/hcp-swapper/json')).json.State.Running, true, 'the swapper runs on, thawed');
});

test('hostile tars put into a container: refused with a 400 or kept inside it', async () => {
  await ok(['create', '--name', 'hcp3', 'busybox', 'true']);
  const cases: Array<[string, Buffer, number, RegExp?]> = [
    ['dot-dot', await tarOf([{ name: `../../../../tmp/${MARK}-dropped`, body: 'x' }]), 400, /path is outside of the layer/],
    ['absolute', await tarOf([{ name: `/tmp/${MARK}-dropped`, body: 'x' }]), 200],
    ['hardlink out', await tarOf([{ name: 'h', type: 'link', linkname: `../../../..${SECRET}` }]), 400, /outside of the layer/],
    ['absolute hardlink', await tarOf([{ name: 'h2', type: 'link', linkname: SECRET }]), 400, /cannot be linked/],
    ['device nodes', await tarOf([{ name: `${MARK}-dropped`, type: 'character-device', devmajor: 1, devminor: 3 } as TarEntry, { name: 'fifo', type: 'fifo' }]), 200, undefined],
    ['2 MiB GNU long name', gnuLongName(2 << 20, MARK), 400, /file name too long/],
    ['2 MiB pax path', paxPath(2 << 20, MARK), 400, /file name too long/],
    ['8 MiB pax header', paxPath(8 << 20, MARK), 400, /archive\/tar: invalid tar header/],
    ['symlink target of 5000 bytes', await tarOf([{ name: 'longlink', type: 'symlink', linkname: 't/'.repeat(2500) }]), 400, /file name too long/],
    ['size that lies', lyingSize(), 400, /unexpected EOF/],
  ];
  for (const [label, tar, status, message] of cases) {
    const r = await request('PUT', archive('hcp3', '/tmp'), tar);
    assert.equal(r.status, status, `${label}: ${r.body}`);
    if (message) assert.match(JSON.parse(r.body.toString()).message, message, label);
    await assertHostUntouched(label);
  }
  // the absolute name landed under the target directory, as Docker puts it, and the skipped device node left it alone
  assert.equal((await request('HEAD', archive('hcp3', `/tmp/tmp/${MARK}-dropped`))).status, 200);
  assert.equal((await request('HEAD', archive('hcp3', '/tmp/h2'))).status, 404);
  // paths no file can have: a 400, not the 500 with a host path Docker 20.10 answers
  for (const [method, path, message] of [
    ['GET', '/etc\0/passwd', /it holds a NUL byte/], ['PUT', '/tmp\0x', /it holds a NUL byte/],
    ['GET', 'a/'.repeat(3000), /file name too long/], ['HEAD', `/${'a'.repeat(300)}`, undefined],
  ] as const) {
    const r = await request(method, archive('hcp3', path), method === 'PUT' ? await tarOf([{ name: 'x', body: 'x' }]) : undefined);
    assert.equal(r.status, 400, `${method} ${path.slice(0, 20)}: ${r.body}`);
    if (message) assert.match(JSON.parse(r.body.toString()).message, message);
  }
  assert.doesNotMatch(d.log, /msg="(request failed|uncaught exception)"|level=fatal/);
});
