import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { codeOf } from '../../../errdefs';
import { makeHarness, type Harness } from '../testing/fakes';
import type { CreateRequest } from '../create-container';

let h: Harness;
beforeEach(async () => { h = await makeHarness(); });
afterEach(async () => { await h.cleanup(); });

const create = (body: CreateRequest['body'], name?: string) => h.service.create({ name, body });
const volumeNames = () => h.volumes.list().map((v) => v.name).sort();
const spec = async (id: string) => JSON.parse(await readFile(join(h.ctx.paths.execRoot, 'containers', id, 'config.json'), 'utf8'));

test('create references named and anonymous volumes, copies the image\'s content up, and records the mount points', async () => {
  const rec = await create({ Image: 'busybox', Volumes: { '/scratch': {} }, HostConfig: { Binds: ['cfg:/etc', '/host/x:/x:ro'] } });
  const anon = rec.mounts!.find((m) => m.destination === '/scratch')!;
  assert.deepEqual(volumeNames(), [anon.name, 'cfg'].sort());
  assert.deepEqual(rec.mounts!.map((m) => [m.type, m.destination, m.mode, m.rw, !!m.anonymous]), [
    ['volume', '/etc', 'z', true, false], ['bind', '/x', 'ro', false, false], ['volume', '/scratch', '', true, true],
  ]);
  assert.deepEqual((await readdir(h.volumes.inspect('cfg').mountpoint)).sort(), ['group', 'passwd']);
  assert.equal(h.rootfs.mounted.size, 0, 'the rootfs mounted for copy-up is unmounted again');
  await assert.rejects(h.volumes.remove('cfg'), (e) => codeOf(e) === 'CONFLICT');
  assert.deepEqual(rec.config.Volumes, { '/scratch': {} });
});

test('a create that fails half-way leaves no volume and no container behind', async () => {
  h.volumeDriver.failCreate.add('second');
  await assert.rejects(create({ Image: 'busybox', HostConfig: { Binds: ['first:/a', 'second:/b'] } }, 'half'), /no space left/);
  assert.deepEqual(volumeNames(), []);
  assert.deepEqual(h.service.list(), []);
  // a bad spec is refused before any volume exists
  await assert.rejects(create({ Image: 'busybox', HostConfig: { Binds: ['first:/a', 'a/b:/b'] } }), /includes invalid characters/);
  await assert.rejects(create({ Image: 'busybox', HostConfig: { Binds: ['first:/a'], VolumeDriver: 'nfs' } }), (e) => codeOf(e) === 'NOT_FOUND');
  assert.deepEqual(volumeNames(), []);
  assert.equal(h.ctx.store.nameOwner('half'), undefined);
});

test('start mounts volumes in depth order; exit unmounts; rm -v removes anonymous volumes only', async () => {
  const rec = await create({ Image: 'busybox', HostConfig: { Binds: ['deep:/a/b', 'top:/a'], Mounts: [{ Type: 'volume', Target: '/anon' }] } });
  await h.service.start(rec.id);
  const mounts = (await spec(rec.id)).mounts.map((m: { destination: string }) => m.destination);
  assert.ok(mounts.indexOf('/a') < mounts.indexOf('/a/b'));
  assert.equal(h.volumeDriver.calls.filter((c) => c.startsWith('mount')).length, 3);
  const exited = h.service.wait(rec.id);
  await h.exit(rec.id, 0);
  await exited;
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(h.volumeDriver.calls.filter((c) => c.startsWith('unmount')).length, 3);
  await h.service.remove(rec.id, { volumes: true });
  assert.deepEqual(volumeNames(), ['deep', 'top']);
});

test('an auto-remove container takes its anonymous volumes with it', async () => {
  const rec = await create({ Image: 'busybox', Volumes: { '/tmpdata': {} }, HostConfig: { AutoRemove: true, Binds: ['keep:/k'] } });
  await h.service.start(rec.id);
  const removed = h.service.wait(rec.id, 'removed');
  await h.exit(rec.id, 0);
  await removed;
  assert.deepEqual(volumeNames(), ['keep']);
});

test('--volumes-from copies the mounts (ro when asked) and references survive a daemon restart', async () => {
  const src = await create({ Image: 'busybox', Volumes: { '/data': {} } }, 'src');
  const copy = await create({ Image: 'busybox', HostConfig: { VolumesFrom: ['src:ro'] } }, 'copy');
  assert.deepEqual(copy.mounts!.map((m) => [m.name, m.rw, m.mode, m.anonymous]), [[src.mounts![0].name, false, '', true]]);
  const next = await h.reopen();
  await next.service.remove('src', { volumes: true });
  assert.deepEqual(next.volumes.list().map((v) => v.name), [src.mounts![0].name], 'still used by copy');
  await assert.rejects(next.volumes.remove(src.mounts![0].name!), (e) => codeOf(e) === 'CONFLICT');
  await next.service.remove('copy', { volumes: true });
  assert.deepEqual(next.volumes.list(), []);
});
