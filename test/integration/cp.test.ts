import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDaemon, BERTH, run } from '../harness';

const d = new TestDaemon('cp');
let work: string;
before(async () => {
  await d.start();
  work = await mkdtemp(join(tmpdir(), 'berth-cp-test-'));
});
after(async () => {
  await d.stop();
  await rm(work, { recursive: true, force: true });
});

const sh = (script: string) => run('sh', ['-c', script], { env: { ...process.env, B: `${process.execPath} ${BERTH} -H ${d.host}` } });
const ok = (r: { code: number; stderr: string }) => assert.equal(r.code, 0, r.stderr);

test('cp a file and a directory in both directions, running and stopped', async () => {
  ok(await d.cli(['run', '-d', '--name', 'cp1', 'busybox', 'sh', '-c', 'mkdir -p /srv/d/sub && echo hi > /srv/d/sub/f && echo top > /srv/top && exec sleep 1000']));
  await new Promise((r) => setTimeout(r, 300));

  ok(await d.cli(['cp', 'cp1:/srv/top', join(work, 'top.txt')]));
  assert.equal(await readFile(join(work, 'top.txt'), 'utf8'), 'top\n');
  ok(await d.cli(['cp', 'cp1:/srv/d', join(work, 'd')]));
  assert.equal(await readFile(join(work, 'd', 'sub', 'f'), 'utf8'), 'hi\n');
  // an existing directory receives the source directory itself; `/.` copies its contents
  ok(await d.cli(['cp', 'cp1:/srv/d', work]));
  await mkdir(join(work, 'contents'));
  ok(await d.cli(['cp', 'cp1:/srv/d/.', join(work, 'contents')]));
  assert.equal(await readFile(join(work, 'contents', 'sub', 'f'), 'utf8'), 'hi\n');

  await writeFile(join(work, 'in.txt'), 'from host\n');
  await mkdir(join(work, 'tree', 'x'), { recursive: true });
  await writeFile(join(work, 'tree', 'x', 'y'), 'yy\n');
  ok(await d.cli(['cp', join(work, 'in.txt'), 'cp1:/tmp/renamed.txt']));
  ok(await d.cli(['cp', join(work, 'tree'), 'cp1:/tmp/']));
  const cat = await d.cli(['logs', 'cp1']);
  assert.equal(cat.code, 0);
  ok(await d.cli(['stop', '-t', '0', 'cp1']));

  // a stopped container: read back what was written while it ran, and write more
  ok(await d.cli(['cp', 'cp1:/tmp/renamed.txt', join(work, 'back.txt')]));
  assert.equal(await readFile(join(work, 'back.txt'), 'utf8'), 'from host\n');
  ok(await d.cli(['cp', 'cp1:/tmp/tree/x/y', join(work, 'y')]));
  assert.equal(await readFile(join(work, 'y'), 'utf8'), 'yy\n');
  ok(await d.cli(['cp', join(work, 'in.txt'), 'cp1:/stopped.txt']));
  ok(await d.cli(['start', 'cp1']));
  ok(await d.cli(['cp', 'cp1:/stopped.txt', join(work, 'stopped.txt')]));
  assert.equal(await readFile(join(work, 'stopped.txt'), 'utf8'), 'from host\n');

  const missing = await d.cli(['cp', 'cp1:/nope', work]);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'Error response from daemon: Could not find the file /nope in container cp1\n');
  const head = await d.api('HEAD', '/containers/cp1/archive?path=/srv');
  assert.equal(head.status, 200);
  const st = JSON.parse(Buffer.from(String(head.headers['x-docker-container-path-stat']), 'base64').toString());
  assert.equal(st.name, 'srv');
  assert.equal(st.mode, 2 ** 31 + 0o755);
  assert.equal((await d.api('HEAD', '/containers/cp1/archive?path=/nope')).status, 404);
});

test('cp - streams a tar both ways', async () => {
  ok(await d.cli(['create', '--name', 'cp2', 'busybox', 'true']));
  await mkdir(join(work, 'tarsrc'));
  await writeFile(join(work, 'tarsrc', 'a'), 'A\n');
  ok(await sh(`tar -C ${work}/tarsrc -cf - a | $B cp - cp2:/tmp`));
  const listed = await sh(`$B cp cp2:/tmp/a - | tar -tvf -`);
  ok(listed);
  assert.match(listed.stdout, / a\n$/);
  const content = await sh(`$B cp cp2:/tmp/a - | tar -xOf -`);
  assert.equal(content.stdout, 'A\n');
  const notDir = await sh(`tar -C ${work}/tarsrc -cf - a | $B cp - cp2:/tmp/a`);
  assert.equal(notDir.code, 1);
  assert.match(notDir.stderr, /destination "cp2:\/tmp\/a" must be a directory/);
  // A tar cut off inside a file's data is the client's fault: 400 in Go's words.
  await writeFile(join(work, 'tarsrc', 'big'), 'x'.repeat(4000));
  const cut = (await sh(`tar -C ${work}/tarsrc -cf - big | head -c 1500`)).stdout;
  const put = await d.api('PUT', '/containers/cp2/archive?path=/tmp', cut, { 'Content-Type': 'application/x-tar' });
  assert.equal(put.status, 400, put.body);
  assert.match(put.body, /unexpected EOF/);
});

test('symlinks in the container never lead cp to the host', async () => {
  const marker = join(work, 'host-marker');
  await writeFile(marker, 'host original\n');
  ok(await d.cli(['create', '--name', 'cp3', 'busybox', 'true']));
  // plant symlinks in the container: to /, to /etc, and to the host marker's absolute path
  await mkdir(join(work, 'links'));
  ok(await sh(`cd ${work}/links && ln -s / rootlink && ln -s /etc etclink && ln -s ${marker} markerlink && ln -s ${work} worklink && tar -cf - . | $B cp - cp3:/`));

  await writeFile(join(work, 'payload'), 'pwned\n');
  // the marker's directory exists on the host but not in the container: nothing to write into
  const viaRoot = await d.cli(['cp', join(work, 'payload'), `cp3:/rootlink${marker}`]);
  assert.equal(viaRoot.code, 1);
  assert.equal(viaRoot.stderr, `Error response from daemon: Could not find the file /rootlink${work} in container cp3\n`);
  ok(await d.cli(['cp', join(work, 'payload'), 'cp3:/rootlink/tmp/']));
  for (const dest of ['cp3:/markerlink', 'cp3:/worklink/', 'cp3:/worklink/host-marker']) {
    const r = await d.cli(['cp', join(work, 'payload'), dest]);
    assert.equal(r.code, 1, dest);
    assert.match(r.stderr, /Could not find the file \/|^no such directory/, dest);
  }
  assert.equal(await readFile(marker, 'utf8'), 'host original\n');
  assert.equal(await readFile(join(work, 'payload'), 'utf8'), 'pwned\n');
  const hostPasswd = await readFile('/etc/passwd', 'utf8');
  ok(await sh(`printf 'x' > ${work}/passwd && $B cp ${work}/passwd cp3:/etclink/passwd`));
  assert.equal(await readFile('/etc/passwd', 'utf8'), hostPasswd);

  // reads resolve inside the container too: the marker path does not exist there
  const read = await d.cli(['cp', `cp3:/rootlink${marker}`, join(work, 'out')]);
  assert.equal(read.code, 1);
  assert.match(read.stderr, /Could not find the file/);
  const viaLink = await d.cli(['cp', '-L', 'cp3:/markerlink', join(work, 'out')]);
  assert.equal(viaLink.code, 1);
  assert.match(viaLink.stderr, /Could not find the file/);
  ok(await d.cli(['cp', 'cp3:/rootlink/tmp/payload', join(work, 'out2')]));
  assert.equal(await readFile(join(work, 'out2'), 'utf8'), 'pwned\n');
  const etc = await d.cli(['cp', '-L', 'cp3:/etclink/passwd', join(work, 'passwd-out')]);
  ok(etc);
  assert.equal(await readFile(join(work, 'passwd-out'), 'utf8'), 'x');
  const hostShadow = await d.cli(['cp', `cp3:/worklink/host-marker-nope`, work]);
  assert.equal(hostShadow.code, 1);
  assert.match(hostShadow.stderr, /Could not find the file/);
});

test('export then import round trip, and diff', async () => {
  ok(await d.cli(['run', '--name', 'cp4', 'busybox', 'sh', '-c', 'echo new > /tmp/x && rm /bin/vi && echo changed >> /etc/group']));
  const diff = await d.cli(['diff', 'cp4']);
  ok(diff);
  const lines = diff.stdout.trim().split('\n');
  for (const l of ['C /bin', 'D /bin/vi', 'C /etc', 'C /etc/group', 'A /tmp/x']) assert.ok(lines.includes(l), `${l} in ${diff.stdout}`);
  assert.ok(!lines.includes('A /etc/hosts') && !lines.includes('C /etc/hosts'), diff.stdout);
  const json = await d.api('GET', '/containers/cp4/changes');
  assert.ok(json.json.some((c: { Path: string; Kind: number }) => c.Path === '/tmp/x' && c.Kind === 1));

  const tarFile = join(work, 'cp4.tar');
  ok(await sh(`$B export cp4 > ${tarFile}`));
  assert.ok((await stat(tarFile)).size > 100_000);
  const names = await sh(`tar -tf ${tarFile}`);
  assert.match(names.stdout, /^tmp\/x$/m);
  assert.doesNotMatch(names.stdout, /^bin\/vi$/m);
  ok(await d.cli(['import', tarFile, 'cp4-img:latest']));
  const out = await d.cli(['run', '--rm', 'cp4-img', 'cat', '/tmp/x']);
  ok(out);
  assert.equal(out.stdout, 'new\n');
});
