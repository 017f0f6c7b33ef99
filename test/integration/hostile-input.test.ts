/**
 * Hostile tars through every door that unpacks one: image layers (`POST /images/load`, the
 * layer of `POST /images/create?fromSrc=-`) and build contexts (`POST /build`). Names with
 * `..`, absolute names, symlinked parents, hardlinks out, device nodes over symlinks, huge pax
 * and GNU headers, sizes that lie. Each gives a clear 400 or a safe result (what lands, lands
 * inside the layer), the canary outside the data root keeps its content and its one link, no
 * file named after the test's marker appears outside the data root, berthd keeps answering.
 * Load's plain `..`/symlinked-parent/hardlink refusals with their messages are in
 * image-load.test.ts; these add import and build, devices and headers.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { TestDaemon } from '../harness';
import { fileLayer, legacyDockerArchive, tarOf, type TarEntry } from '../archive-fixtures';
import { gnuLongName, lyingSize, paxPath } from '../hostile-tars';

const d = new TestDaemon('hin');
const MARK = `hostile-in-${process.pid}`;
const CANARY = `/tmp/${MARK}-canary`;
const CANARY_TEXT = 'host canary\n';
before(async () => {
  await writeFile(CANARY, CANARY_TEXT);
  await d.start();
});
after(async () => {
  await d.stop();
  await rm(CANARY, { force: true });
});

function post(path: string, body: Buffer, contentType: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: d.socket, method: 'POST', path, headers: { 'Content-Type': contentType } }, (res) => {
      let text = '';
      res.on('data', (b) => { text += b; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Case {
  label: string;
  tar: () => Promise<Buffer> | Buffer;
  /** The layer is refused; else it loads and `inside` is a path the image must hold. */
  refused?: RegExp;
  inside?: string;
}

const cases: Case[] = [
  { label: 'dot-dot name', tar: () => tarOf([{ name: `../../../../tmp/${MARK}-dotdot`, body: 'x' }]), refused: /path is outside of the layer/ },
  { label: 'dot-dot inside a name', tar: () => tarOf([{ name: `a/../../${MARK}-dotdot2`, body: 'x' }]), refused: /path is outside of the layer/ },
  { label: 'absolute name', tar: () => tarOf([{ name: `/tmp/${MARK}-abs`, body: 'x' }]), inside: `/tmp/${MARK}-abs` },
  { label: 'absolute symlinked parent', tar: () => tarOf([{ name: 'a', type: 'symlink', linkname: '/tmp' }, { name: `a/${MARK}-sym`, body: 'x' }]), refused: /symlinked parents are refused/ },
  { label: 'relative symlinked parent', tar: () => tarOf([{ name: 'up', type: 'symlink', linkname: '../../../../../../tmp' }, { name: `up/${MARK}-rel`, body: 'x' }]), refused: /symlinked parents are refused/ },
  { label: 'hardlink out by ..', tar: () => tarOf([{ name: 'h', type: 'link', linkname: `../../../../../..${CANARY}` }]), refused: /is outside of the layer/ },
  { label: 'absolute hardlink to the canary', tar: () => tarOf([{ name: 'h', type: 'link', linkname: CANARY }]), refused: /not in the layer/ },
  { label: 'hardlink through a symlink', tar: () => tarOf([{ name: 't', type: 'symlink', linkname: '/tmp' }, { name: 'h', type: 'link', linkname: `t/${MARK}-canary` }]), refused: /symlinked parents are refused|not in the layer/ },
  {
    label: 'device nodes and a fifo', inside: '/dev/mynull',
    tar: () => tarOf([
      { name: 'dev', type: 'directory' },
      { name: 'dev/mynull', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 } as TarEntry,
      { name: 'dev/myloop', type: 'block-device', devmajor: 7, devminor: 0, mode: 0o660 } as TarEntry,
      { name: 'dev/myfifo', type: 'fifo', mode: 0o644 },
    ]),
  },
  {
    label: 'device node and fifo over symlinks to the host', inside: '/lnk',
    tar: () => tarOf([
      { name: 'lnk', type: 'symlink', linkname: `/tmp/${MARK}-devnode` },
      { name: 'lnk', type: 'character-device', devmajor: 1, devminor: 3 } as TarEntry,
      { name: 'lnk2', type: 'symlink', linkname: `/tmp/${MARK}-fifo` },
      { name: 'lnk2', type: 'fifo' },
    ]),
  },
  { label: 'device node named out of the layer', tar: () => tarOf([{ name: `../../tmp/${MARK}-dev`, type: 'character-device', devmajor: 1, devminor: 3 } as TarEntry]), refused: /path is outside of the layer/ },
  { label: 'file over a symlink to the canary', tar: () => tarOf([{ name: 'c', type: 'symlink', linkname: CANARY }, { name: 'c', body: 'pwned\n' }]), inside: '/c' },
  { label: '2 MiB GNU long name', tar: () => gnuLongName(2 << 20, MARK), refused: /file name too long/ },
  { label: '2 MiB pax path', tar: () => paxPath(2 << 20, MARK), refused: /file name too long/ },
  { label: '8 MiB pax header', tar: () => paxPath(8 << 20, MARK), refused: /archive\/tar: invalid tar header/ },
  { label: 'name of 300 bytes', tar: () => tarOf([{ name: `${'n'.repeat(300)}${MARK}`, body: 'x' }]), refused: /file name too long/ },
  { label: 'symlink target of 5000 bytes', tar: () => tarOf([{ name: 'longlink', type: 'symlink', linkname: `${'t/'.repeat(2500)}${MARK}` }]), refused: /file name too long/ },
  { label: 'size that lies', tar: lyingSize, refused: /unexpected EOF|Error processing tar file/ },
];

async function assertHostUntouched(label: string): Promise<void> {
  assert.equal(await readFile(CANARY, 'utf8'), CANARY_TEXT, `${label}: canary content`);
  assert.equal((await stat(CANARY)).nlink, 1, `${label}: canary got a hardlink`);
  const found = execFileSync('sh', ['-c', `find /tmp /run /etc /var/lib /dev / -maxdepth 3 -xdev -name '*${MARK}*' 2>/dev/null; true`], { encoding: 'utf8' })
    .split('\n').filter((p) => p && p !== CANARY && !p.startsWith(d.dataRoot + '/') && !p.startsWith(d.execRoot + '/'));
  assert.deepEqual([...new Set(found)], [], `${label}: files outside the data root`);
  assert.equal((await d.api('GET', '/_ping')).status, 200, `${label}: berthd answers`);
}

/** The stat of a path in a container of the image, as `docker cp` sees it (what landed, landed inside). */
let made = 0;
async function statIn(image: string, path: string): Promise<{ name: string; mode: number }> {
  const name = `hin-stat-${made++}`;
  const c = await d.api('POST', `/containers/create?name=${name}`, { Image: image, Cmd: ['x'] });
  assert.equal(c.status, 201, c.body);
  try {
    const h = await d.api('HEAD', `/containers/${name}/archive?path=${encodeURIComponent(path)}`);
    assert.equal(h.status, 200, `${image} ${path}`);
    return JSON.parse(Buffer.from(String(h.headers['x-docker-container-path-stat']), 'base64').toString());
  } finally {
    await d.api('DELETE', `/containers/${name}?force=1`);
  }
}
const isCharDevice = (mode: number) => Math.floor(mode / 2 ** 21) % 2 === 1;

test('layer tars through load: refused with a clear error or unpacked inside the layer', async () => {
  const base = await fileLayer('etc/hin-base', 'base');
  for (const [i, c] of cases.entries()) {
    const layer = await c.tar();
    const archive = await legacyDockerArchive({ images: [{ layers: [base, layer], repoTags: [`hin/load${i}:1`] }] });
    const r = await post('/v1.41/images/load?quiet=1', archive, 'application/x-tar');
    if (c.refused) {
      assert.equal(r.status, 400, `${c.label}: ${r.body}`);
      assert.match(JSON.parse(r.body).message, c.refused, c.label);
    } else {
      assert.equal(r.status, 200, `${c.label}: ${r.body}`);
      assert.doesNotMatch(r.body, /error/i, c.label);
      await statIn(`hin/load${i}:1`, c.inside!);
    }
    await assertHostUntouched(`load: ${c.label}`);
  }
  assert.ok(isCharDevice((await statIn('hin/load8:1', '/dev/mynull')).mode), 'the char device is a node inside the layer');
  assert.ok(isCharDevice((await statIn('hin/load9:1', '/lnk')).mode), 'the node replaced the symlink, inside the layer');
  assert.equal((await statIn('hin/load11:1', '/c')).mode, 0o644, 'the file replaced the symlink, inside the layer');
});

test('the same tars as the rootfs of an import', async () => {
  for (const [i, c] of cases.entries()) {
    const r = await post(`/v1.41/images/create?fromSrc=-&repo=hin/import${i}&tag=1`, await c.tar(), 'application/x-tar');
    if (c.refused) {
      assert.equal(r.status, 400, `${c.label}: ${r.body}`);
      assert.match(JSON.parse(r.body).message, c.refused, c.label);
    } else {
      assert.equal(r.status, 200, `${c.label}: ${r.body}`);
      assert.match(r.body, /"status":"sha256:[0-9a-f]{64}"/, c.label);
    }
    await assertHostUntouched(`import: ${c.label}`);
  }
});

test('the same tars as build contexts: the build is refused or copies inside the image only', async () => {
  const dockerfile = { name: 'Dockerfile', body: 'FROM busybox\nCOPY . /ctx/\nRUN ls -laR /ctx > /dev/null\n' };
  for (const [i, c] of cases.entries()) {
    const raw = await c.tar();
    // the hostile entries first, then the Dockerfile: the header-level cases have no room after their end blocks
    const context = /^\d MiB|size that lies/.test(c.label)
      ? Buffer.concat([await tarOf([dockerfile]).then((t) => t.subarray(0, t.length - 1024)), raw])
      : await tarOf([dockerfile, ...await entriesOf(raw)]);
    const r = await post(`/v1.41/build?t=hin/build${i}:1&rm=1&forcerm=1`, context, 'application/x-tar');
    const failed = r.status !== 200 || /"error"/.test(r.body);
    if (c.refused) assert.ok(failed, `${c.label}: the build ran: ${r.body.slice(-300)}`);
    else assert.ok(!failed || /COPY failed|device|fifo|not supported/i.test(r.body), `${c.label}: ${r.body.slice(-400)}`);
    if (r.status !== 200) assert.equal(r.status, 400, `${c.label}: ${r.body}`);
    await assertHostUntouched(`build: ${c.label}`);
  }
  assert.deepEqual((await d.api('GET', '/containers/json?all=1')).json, [], 'no build step container left');
});

test('a Dockerfile named outside the context is a 400 in moby\'s words', async () => {
  const context = await tarOf([{ name: 'Dockerfile', body: 'FROM busybox\n' }]);
  for (const name of ['../../etc/passwd', 'a/../../Dockerfile', `${'x'.repeat(5000)}`]) {
    const r = await post(`/v1.41/build?dockerfile=${encodeURIComponent(name)}`, context, 'application/x-tar');
    assert.deepEqual([r.status, JSON.parse(r.body).message], [400, `forbidden path outside the build context: ${name} ()`]);
  }
  const abs = await post('/v1.41/build?dockerfile=/etc/passwd', context, 'application/x-tar');
  assert.deepEqual([abs.status, JSON.parse(abs.body).message], [404, 'Cannot locate specified Dockerfile: /etc/passwd']);
});

test('no request failed with a 500 and nothing went uncaught', () => {
  assert.doesNotMatch(d.log, /msg="(request failed|uncaught exception)"|level=fatal/);
});

/** The entries of a tar-stream tar, to be packed again after another entry. */
async function entriesOf(buf: Buffer): Promise<TarEntry[]> {
  const tar = await import('tar-stream');
  const ex = tar.extract();
  const out: TarEntry[] = [];
  const done = (async () => {
    for await (const e of ex) {
      const chunks: Buffer[] = [];
      for await (const c of e) chunks.push(c as Buffer);
      out.push({ ...(e.header as unknown as TarEntry), body: Buffer.concat(chunks) });
    }
  })();
  ex.end(buf);
  await done;
  return out;
}
