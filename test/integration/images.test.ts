import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDaemon, run } from '../harness';

const d = new TestDaemon('img');
let tmp = '';
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'berth-img-test-'));
  await d.start();
});
after(async () => {
  await d.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function imageId(ref: string): Promise<string> {
  const r = await d.cli(['image', 'inspect', '-f', '{{.Id}}', ref]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

test('images lists busybox latest, -q gives short IDs, --format renders the template', async () => {
  const r = await d.cli(['images']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
  assert.ok(lines.some((l) => /^busybox\s+latest\s+[0-9a-f]{12}\s+.+\s+\d+(\.\d+)?[kMG]?B$/.test(l)), r.stdout);

  const id = await imageId('busybox');
  assert.match(id, /^sha256:[0-9a-f]{64}$/);
  const q = await d.cli(['images', '-q']);
  assert.ok(q.stdout.split('\n').includes(id.slice(7, 19)), q.stdout);

  const f = await d.cli(['images', '--format', '{{.Repository}}:{{.Tag}}']);
  assert.ok(f.stdout.split('\n').includes('busybox:latest'), f.stdout);
  const one = await d.cli(['images', '--format', '{{.Repository}}:{{.Tag}}', 'busybox']);
  assert.equal(one.stdout, 'busybox:latest\n');
});

let rootfsTar: Promise<string> | undefined;
/** A minimal rootfs tar (busybox as /bin/sh), made once in the test's temp dir. */
function makeRootfsTar(): Promise<string> {
  rootfsTar ??= (async () => {
    const root = join(tmp, 'rootfs');
    await mkdir(join(root, 'bin'), { recursive: true });
    await copyFile('/bin/busybox', join(root, 'bin', 'busybox'));
    await copyFile('/bin/busybox', join(root, 'bin', 'sh'));
    for (const dir of ['etc', 'tmp', 'proc', 'sys', 'dev']) await mkdir(join(root, dir), { recursive: true });
    const tarball = join(tmp, 'rootfs.tar');
    const t = await run('tar', ['-C', root, '-cf', tarball, '.']);
    assert.equal(t.code, 0, t.stderr);
    return tarball;
  })();
  return rootfsTar;
}

test('import of a rootfs tar makes a runnable image', async () => {
  const tarball = await makeRootfsTar();

  const r = await d.cli(['import', tarball, 'imgtest/tiny:v1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
  assert.equal(await imageId('imgtest/tiny:v1'), r.stdout.trim());

  const out = await d.cli(['run', '--rm', 'imgtest/tiny:v1', '/bin/sh', '-c', 'echo ok']);
  assert.equal(out.stdout, 'ok\n', out.stderr);
  assert.equal(out.code, 0);
  const ls = await d.cli(['images', '--format', '{{.Repository}}:{{.Tag}}']);
  assert.ok(ls.stdout.split('\n').includes('imgtest/tiny:v1'), ls.stdout);
});

test('save, rmi and load restore the image with the same ID', async () => {
  const id = await imageId('busybox');
  const tag = await d.cli(['tag', 'busybox', 'imgtest/saved:1']);
  assert.equal(tag.code, 0, tag.stderr);
  const file = join(tmp, 'saved.tar');
  const s = await d.cli(['save', '-o', file, 'imgtest/saved:1']);
  assert.equal(s.code, 0, s.stderr);
  assert.ok((await stat(file)).size > 1024);
  const names = await run('tar', ['-tf', file]);
  assert.ok(names.stdout.split('\n').includes('manifest.json'), names.stdout);

  const rmi = await d.cli(['rmi', 'imgtest/saved:1']);
  assert.equal(rmi.code, 0, rmi.stderr);
  assert.equal(rmi.stdout, 'Untagged: imgtest/saved:1\n');
  const gone = await d.cli(['image', 'inspect', 'imgtest/saved:1']);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /No such image: imgtest\/saved:1/);

  const l = await d.cli(['load', '-i', file]);
  assert.equal(l.code, 0, l.stderr);
  assert.equal(l.stdout, 'Loaded image: imgtest/saved:1\n');
  assert.equal(await imageId('imgtest/saved:1'), id);
  assert.equal(await imageId('busybox'), id);
});

test('tag adds a name for the same image, and bad references are refused', async () => {
  const id = await imageId('busybox');
  const r = await d.cli(['tag', 'busybox', 'imgtest/other:2']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(await imageId('imgtest/other:2'), id);
  const byId = await d.cli(['tag', id.slice(7, 19), 'imgtest/byid']);
  assert.equal(byId.code, 0, byId.stderr);
  assert.equal(await imageId('imgtest/byid:latest'), id);

  const bad = await d.cli(['tag', 'busybox', 'Bad/Name']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /invalid reference format/);
  const missing = await d.cli(['tag', 'nosuchimage', 'imgtest/x']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No such image: nosuchimage/);
});

test('rmi refuses an image a container uses, and removes it once the container is gone', async () => {
  const imp = await d.cli(['import', await makeRootfsTar(), 'imgtest/inuse:1']);
  assert.equal(imp.code, 0, imp.stderr);
  const id = imp.stdout.trim();
  const c = await d.cli(['create', '--name', 'img-user', 'imgtest/inuse:1', '/bin/sh']);
  assert.equal(c.code, 0, c.stderr);
  const cid = c.stdout.trim();

  const byId = await d.cli(['rmi', id.slice(7, 19)]);
  assert.equal(byId.code, 1);
  assert.equal(byId.stderr, `Error response from daemon: conflict: unable to delete ${id.slice(7, 19)} (must be forced) - image is being used by stopped container ${cid.slice(0, 12)}\n`);
  const byTag = await d.cli(['rmi', 'imgtest/inuse:1']);
  assert.equal(byTag.code, 1);
  assert.equal(byTag.stderr, `Error response from daemon: conflict: unable to remove repository reference "imgtest/inuse:1" (must force) - container ${cid.slice(0, 12)} is using its referenced image ${id.slice(7, 19)}\n`);
  const api = await d.api('DELETE', `/images/${id}`);
  assert.equal(api.status, 409);
  assert.equal(await imageId('imgtest/inuse:1'), id);

  assert.equal((await d.cli(['rm', 'img-user'])).code, 0);
  const rmi = await d.cli(['rmi', 'imgtest/inuse:1']);
  assert.equal(rmi.code, 0, rmi.stderr);
  assert.equal(rmi.stdout, `Untagged: imgtest/inuse:1\nDeleted: ${id}\n`);
  const missing = await d.cli(['rmi', 'nosuchimage:1']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'Error response from daemon: No such image: nosuchimage:1\n');
});

test('rmi by ID of an image with several repositories needs force', async () => {
  const id = await imageId('busybox');
  assert.equal((await d.cli(['tag', 'busybox', 'imgtest/multi:1'])).code, 0);
  const r = await d.cli(['rmi', id.slice(7, 19)]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `Error response from daemon: conflict: unable to delete ${id.slice(7, 19)} (must be forced) - image is referenced in multiple repositories\n`);
  const untag = await d.cli(['rmi', 'imgtest/multi:1']);
  assert.equal(untag.stdout, 'Untagged: imgtest/multi:1\n', untag.stderr);
});

test('inspect of an image shows its config and rootfs', async () => {
  const r = await d.cli(['image', 'inspect', 'busybox']);
  assert.equal(r.code, 0, r.stderr);
  const [img] = JSON.parse(r.stdout);
  assert.match(img.Id, /^sha256:[0-9a-f]{64}$/);
  assert.ok(img.RepoTags.includes('busybox:latest'), img.RepoTags);
  assert.equal(img.Os, 'linux');
  assert.equal(img.RootFS.Type, 'layers');
  assert.ok(img.RootFS.Layers.length >= 1);
  assert.ok(Array.isArray(img.Config.Cmd));
  const plain = await d.cli(['inspect', '-f', '{{.Os}}/{{.Architecture}}', 'busybox']);
  assert.match(plain.stdout, /^linux\/\w+\n$/, plain.stderr);
});

test('history lists the layers of an image', async () => {
  const r = await d.cli(['history', 'busybox']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);
  assert.ok(lines.length >= 2, r.stdout);
  const id = await imageId('busybox');
  assert.ok(lines[1].startsWith(id.slice(7, 19)), lines[1]);
  const raw = await d.cli(['history', '--human=false', '--format', '{{.CreatedAt}} {{.Size}}', 'busybox']);
  assert.match(raw.stdout.split('\n')[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \d+$/, raw.stderr);
  const q = await d.cli(['history', '-q', 'busybox']);
  assert.equal(q.stdout.split('\n')[0], id.slice(7, 19));
  const missing = await d.cli(['history', 'nosuchimage']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No such image: nosuchimage/);
});
