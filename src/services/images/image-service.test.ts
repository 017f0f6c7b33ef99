import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readdir, stat, readFile, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { ImageService } from './index';
import { isConflict, isNotFound, isInvalidArgument } from '../../errdefs';
import { sha256 } from '../../lib/digest';

const isRoot = process.getuid?.() === 0;

async function makeTar(entries: Array<{ name: string; body?: string; type?: tar.Header['type']; linkname?: string }>): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => { for await (const c of pack) chunks.push(c as Buffer); })();
  for (const { body, ...h } of entries) pack.entry(h as tar.Header, body ?? '');
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

async function collect(fn: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  const reading = (async () => { for await (const c of out) chunks.push(c as Buffer); })();
  await fn(out);
  await reading;
  return Buffer.concat(chunks);
}

async function layerDirs(root: string): Promise<string[]> {
  return (await readdir(join(root, 'overlay', 'layers'))).sort();
}

test('image service end to end', { skip: !isRoot && 'needs root (overlay mounts, chown)' }, async (t) => {
  const base = await mkdtemp(join(tmpdir(), 'berth-images-'));
  const users = new Map<string, string[]>();
  const mk = async (name: string) => {
    const s = new ImageService({ dataRoot: join(base, name), imageUsers: (id) => (users.get(id) ?? []).map((c) => ({ id: c, running: false })) });
    await s.init();
    return s;
  };
  const svc = await mk('a');
  t.after(async () => {
    await svc.rootfs.remove('c1').catch(() => undefined);
    await rm(base, { recursive: true, force: true });
  });

  const bbId = await svc.ensureBusybox();
  assert.equal(await svc.ensureBusybox(), bbId, 'ensureBusybox is idempotent');
  const bb = await svc.inspect('busybox');
  assert.equal(bb.Id, bbId);
  assert.deepEqual(bb.RepoTags, ['busybox:latest']);
  assert.deepEqual(bb.Config?.Cmd, ['sh']);
  assert.equal(bb.RootFS.Layers.length, 1);
  assert.equal(bb.GraphDriver.Name, 'overlay2');
  assert.ok(bb.Size > 1_000_000);
  assert.equal(sha256(await readFile(join(base, 'a', 'image', 'blobs', 'sha256', bbId.slice(7)))), bbId, 'ID is the config digest');
  for (const r of ['busybox:latest', 'docker.io/library/busybox', bbId, bbId.slice(7, 19), `sha256:${bbId.slice(7, 15)}`]) {
    assert.equal(svc.resolve(r).id, bbId, r);
  }
  assert.throws(() => svc.resolve('nope'), (e: Error) => isNotFound(e) && e.message === 'No such image: nope:latest');
  const hist = await svc.history('busybox');
  assert.equal(hist[0].Id, bbId);
  assert.equal(hist[0].Comment, 'Imported from -');

  // container rootfs
  await svc.rootfs.create('c1', 'busybox');
  const merged = await svc.rootfs.mount('c1');
  assert.equal(await svc.rootfs.mount('c1'), merged, 'mount is idempotent');
  assert.ok((await lstat(join(merged, 'bin', 'sh'))).isSymbolicLink());
  assert.ok((await stat(join(merged, 'bin', 'busybox'))).isFile());
  assert.match(await readFile(join(merged, 'etc', 'passwd'), 'utf8'), /^root:x:0:0:root:\/root:\/bin\/sh/);
  await svc.rootfs.unmount('c1');
  await svc.rootfs.unmount('c1');
  await assert.rejects(stat(join(merged, 'bin')), { code: 'ENOENT' });

  // a container using busybox blocks rmi without force
  users.set(bbId, ['c'.repeat(64)]);
  await assert.rejects(svc.remove('busybox'), (e: Error) => isConflict(e) &&
    e.message === `conflict: unable to remove repository reference "busybox" (must force) - container cccccccccccc is using its referenced image ${bbId.slice(7, 19)}`);
  users.clear();

  // import (gzip) with changes, and a scratch image via load later
  const rootfs = await makeTar([{ name: 'hello.txt', body: 'hi' }, { name: 'd/', type: 'directory' }, { name: 'd/.wh..wh..opq' }]);
  const impId = await svc.importTar(Readable.from([gzipSync(rootfs)]), { repo: 'localhost:5000/x/imp', tag: 'v1', changes: ['ENV A=b', 'CMD ["cat","/hello.txt"]'] });
  const imp = await svc.inspect('localhost:5000/x/imp:v1');
  assert.equal(imp.Id, impId);
  assert.deepEqual(imp.RepoTags, ['localhost:5000/x/imp:v1']);
  assert.deepEqual(imp.Config?.Env, ['A=b']);
  assert.equal(imp.RootFS.Layers[0], sha256(rootfs), 'diffID is the digest of the uncompressed tar');
  await svc.tag(impId, 'other', 'two');
  assert.deepEqual(svc.list().find((s) => s.Id === impId)?.RepoTags.sort(), ['localhost:5000/x/imp:v1', 'other:two']);
  await assert.rejects(svc.remove(impId), (e: Error) => isConflict(e) && /image is referenced in multiple repositories/.test(e.message));

  // save -> load round trip into a second data root
  const archive = await collect((out) => svc.save(['busybox', 'other:two'], out));
  const svc2 = await mk('b');
  const msgs = await svc2.load(Readable.from([gzipSync(archive)]));
  assert.deepEqual(msgs.sort(), ['Loaded image: busybox:latest', 'Loaded image: other:two']);
  assert.equal(svc2.resolve('busybox').id, bbId);
  assert.equal(svc2.resolve('other:two').id, impId);
  assert.deepEqual((await svc2.inspect('busybox')).RootFS, bb.RootFS);
  // loading again shares the layers
  const before = await layerDirs(join(base, 'b'));
  await svc2.load(Readable.from([archive]));
  assert.deepEqual(await layerDirs(join(base, 'b')), before);

  // an OCI layout without manifest.json loads from index.json
  const svc4 = await mk('d');
  assert.deepEqual((await svc4.load(Readable.from([await rewrite(archive, (name) => name !== 'manifest.json')]))).sort(), ['Loaded image: busybox:latest', 'Loaded image: other:two']);
  assert.equal(svc4.resolve('other:two').id, impId);

  // a tampered layer is rejected and leaves nothing behind
  const svc3 = await mk('c');
  const bad = await tamper(archive);
  await assert.rejects(svc3.load(Readable.from([bad])), (e: Error) => isInvalidArgument(e) && /invalid diffID/.test(e.message) && e.message.includes(imp.RootFS.Layers[0]));
  // every image is checked before any is stored: busybox, earlier in the archive, is not loaded either
  assert.throws(() => svc3.resolve('busybox'), isNotFound);
  assert.deepEqual(await layerDirs(join(base, 'c')), []);
  assert.throws(() => svc3.resolve('other:two'), isNotFound);
  assert.deepEqual(await readdir(join(base, 'c', 'overlay', 'tmp')), []);

  // removing frees layers on disk
  assert.equal((await layerDirs(join(base, 'a'))).length, 2);
  const del = await svc.remove(impId, { force: true });
  assert.deepEqual(del.slice(0, 2).map((d) => Object.values(d)[0]).sort(), ['localhost:5000/x/imp:v1', 'other:two']);
  assert.ok(del.some((d) => 'Deleted' in d && d.Deleted === impId));
  assert.equal((await layerDirs(join(base, 'a'))).length, 1, 'the busybox layer stays');
  await svc.rootfs.remove('c1');
  const del2 = await svc.remove('busybox');
  assert.deepEqual(del2[0], { Untagged: 'busybox:latest' });
  assert.deepEqual(await layerDirs(join(base, 'a')), []);
  assert.deepEqual(await readdir(join(base, 'a', 'overlay', 'l')), []);
  assert.deepEqual(svc.list(), []);
});

/** Copies an archive keeping the entries keep() accepts. */
async function rewrite(archive: Buffer, keep: (name: string) => boolean): Promise<Buffer> {
  const extract = tar.extract();
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => { for await (const c of pack) chunks.push(c as Buffer); })();
  Readable.from([archive]).pipe(extract);
  for await (const e of extract) {
    const parts: Buffer[] = [];
    for await (const c of e) parts.push(c as Buffer);
    if (keep(e.header.name)) pack.entry(e.header, Buffer.concat(parts));
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Replaces the content of the import layer in an archive (keeping its name). */
async function tamper(archive: Buffer): Promise<Buffer> {
  const extract = tar.extract();
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => { for await (const c of pack) chunks.push(c as Buffer); })();
  const files: Array<[tar.Header, Buffer]> = [];
  Readable.from([archive]).pipe(extract);
  for await (const e of extract) {
    const parts: Buffer[] = [];
    for await (const c of e) parts.push(c as Buffer);
    files.push([e.header, Buffer.concat(parts)]);
  }
  const manifest = JSON.parse(files.find(([h]) => h.name === 'manifest.json')![1].toString()) as Array<{ RepoTags: string[]; Layers: string[] }>;
  const target = manifest.find((m) => m.RepoTags.includes('other:two'))!.Layers[0];
  const evil = await makeTar([{ name: 'evil.txt', body: 'x' }]);
  for (const [h, body] of files) {
    if (h.name === target) pack.entry({ ...h, size: evil.length }, evil);
    else if (h.type === 'directory') pack.entry(h);
    else pack.entry(h, body);
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}
