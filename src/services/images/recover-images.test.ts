import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexOf } from '../../lib/digest';
import { ImageStore } from './image-store';

const config = (n: number) => Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: `2026-01-0${n}T00:00:00Z`, config: {}, rootfs: { type: 'layers', diff_ids: [] } }));

async function withRoot(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'berth-recover-images-'));
  try { await fn(root); } finally { await rm(root, { recursive: true, force: true }); }
}

test('names a crash kept from being given are completed at the next start', () => withRoot(async (root) => {
  const a = new ImageStore(root);
  await a.init();
  const img = await a.add(config(1), {}, ['docker.io/library/x:1']); // the tag that would follow never comes
  const b = new ImageStore(root);
  await b.init();
  assert.equal(b.refs.get('docker.io/library/x:1'), img.id);
  assert.equal(b.images.get(img.id)?.meta.pendingNames, undefined);
}));

test('an rmi cut short after its names went removes the image; one that kept a name stays', () => withRoot(async (root) => {
  const a = new ImageStore(root);
  await a.init();
  const gone = await a.add(config(1));
  const kept = await a.add(config(2));
  await a.refs.set('docker.io/library/kept:1', kept.id);
  await a.refs.set(`docker.io/library/gone@sha256:${'d'.repeat(64)}`, gone.id); // its tag went, its digest name not yet
  await a.markRemoval(gone.id);
  await a.markRemoval(kept.id);
  const b = new ImageStore(root);
  await b.init();
  assert.equal(b.images.has(gone.id), false);
  assert.deepEqual(b.refs.all().map(([k]) => k), ['docker.io/library/kept:1']);
  assert.equal(b.images.has(kept.id), true);
  assert.deepEqual((await readdir(join(root, 'image', 'imagedb'))).sort(), [`${hexOf(kept.id)}.json`]);
}));

test('unreadable records and names are quarantined, a record without its config is rolled back, and the store loads', () => withRoot(async (root) => {
  const a = new ImageStore(root);
  await a.init();
  const cut = await a.add(config(1));
  const orphan = await a.add(config(2));
  const good = await a.add(config(3));
  await a.refs.set('docker.io/library/good:1', good.id);
  const db = join(root, 'image', 'imagedb');
  await writeFile(join(db, `${hexOf(cut.id)}.json`), '{"parent":'); // cut short
  await a.blobs.delete(orphan.id); // its config blob is gone
  await writeFile(join(db, `.${hexOf(good.id)}.json.0123456789ab.tmp`), '{');
  const b = new ImageStore(root);
  await b.init();
  assert.deepEqual([...b.images.keys()], [good.id]);
  assert.equal(b.refs.get('docker.io/library/good:1'), good.id);
  assert.deepEqual(await readdir(db), [`${hexOf(good.id)}.json`]);
  assert.equal((await readdir(join(root, 'quarantine', 'images'))).length, 1);

  await writeFile(join(root, 'image', 'repositories.json'), '{"Reposit');
  const c = new ImageStore(root);
  await c.init();
  assert.deepEqual([...c.images.keys()], [good.id]);
  assert.deepEqual(c.refs.all(), []);
}));

test('a name of an image that is gone is dropped', () => withRoot(async (root) => {
  const a = new ImageStore(root);
  await a.init();
  await a.refs.set('docker.io/library/ghost:1', `sha256:${'e'.repeat(64)}`);
  const b = new ImageStore(root);
  await b.init();
  assert.deepEqual(b.refs.all(), []);
}));

test('a load cut short between its tags: every name still pending moves to the loaded image, even over a newer tag of an older-made image', () => withRoot(async (root) => {
  const a = new ImageStore(root);
  await a.init();
  const old = await a.add(config(9));
  await a.refs.set('docker.io/library/x:latest', old.id);
  old.meta.lastTagTime = new Date().toISOString(); // tagged just now, though made in 2026-01-09
  await a.saveMeta(old);
  const loaded = await a.add(config(1), {}, ['docker.io/library/x:latest', 'docker.io/library/x:1']);
  assert.ok(loaded.meta.pendingSince && loaded.meta.pendingSince >= old.meta.lastTagTime);
  await a.refs.set('docker.io/library/x:1', loaded.id); // the load's first tag, as addTag would
  loaded.meta.pendingNames = ['docker.io/library/x:latest'];
  await a.saveMeta(loaded);
  const b = new ImageStore(root);
  await b.init();
  assert.equal(b.refs.get('docker.io/library/x:latest'), loaded.id);
  assert.equal(b.refs.get('docker.io/library/x:1'), loaded.id);
  assert.equal(b.images.get(loaded.id)?.meta.pendingNames, undefined);
  assert.equal(b.images.get(loaded.id)?.meta.pendingSince, undefined);
}));
