import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeOf } from '../../errdefs';
import { VolumeService } from './volume-service';
import { DirVolumeDriver } from './testing/dir-driver';

let root: string;
let driver: DirVolumeDriver;
let events: [string, string, Record<string, string>][];
let svc: VolumeService;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'berth-volumes-'));
  driver = new DirVolumeDriver(root);
  events = [];
  svc = new VolumeService({ drivers: [driver], events: (a, n, attrs) => events.push([a, n, attrs]) });
  await svc.init();
});
afterEach(() => rm(root, { recursive: true, force: true }));

const names = (f: Record<string, string[]> = {}) => svc.list(new Map(Object.entries(f))).map((v) => v.name).sort();

test('create: named, anonymous (64-hex, labelled), existing returned unchanged; errors prefixed as Docker', async () => {
  const a = await svc.create({ name: 'data', labels: { k: 'v' } });
  assert.deepEqual([a.created, a.volume.labels, a.volume.options, a.volume.driver], [true, { k: 'v' }, null, 'local']);
  const again = await svc.create({ name: 'data', labels: { other: '1' } });
  assert.deepEqual([again.created, again.volume.labels], [false, { k: 'v' }]);
  const anon = await svc.create({});
  assert.match(anon.volume.name, /^[0-9a-f]{64}$/);
  assert.deepEqual(anon.volume.labels, { 'com.docker.volume.anonymous': '' });
  assert.ok(svc.isAnonymous(anon.volume) && !svc.isAnonymous(a.volume));
  await assert.rejects(svc.create({ name: 'a/b' }), (e) => codeOf(e) === 'INVALID_ARGUMENT' && /^create a\/b: "a\/b" includes invalid characters/.test((e as Error).message));
  await assert.rejects(svc.create({ name: 'zz', driver: 'nfs' }), (e) => codeOf(e) === 'NOT_FOUND' && (e as Error).message === 'create zz: error looking up volume plugin nfs: plugin "nfs" not found');
  await assert.rejects(svc.create({ name: 'zz', options: { bogus: '1' } }), /^InvalidArgument: create zz: invalid option: "bogus"$/);
  driver.failCreate.add('broken');
  await assert.rejects(svc.create({ name: 'broken' }), /no space left/);
  assert.deepEqual(names(), [anon.volume.name, 'data'].sort());
  assert.deepEqual(events.map((e) => e[0]), ['create', 'create', 'create']);
});

test('references: in use refuses removal with the container IDs; release with remove deletes only an unused volume', async () => {
  await svc.create({ name: 'shared' }, 'c1');
  svc.reference('shared', 'c2');
  await assert.rejects(svc.remove('shared'), (e) => codeOf(e) === 'CONFLICT' && (e as Error).message === 'remove shared: volume is in use - [c1, c2]');
  await assert.rejects(svc.remove('shared', { force: true }), (e) => codeOf(e) === 'CONFLICT');
  assert.deepEqual(names({ dangling: ['false'] }), ['shared']);
  await svc.release('shared', 'c1', { remove: true });
  assert.deepEqual(names({ dangling: ['false'] }), ['shared'], 'c2 still references it');
  await svc.release('shared', 'c2');
  assert.deepEqual(names({ dangling: ['true'] }), ['shared']);
  await svc.remove('shared');
  await assert.rejects(svc.remove('shared'), (e) => codeOf(e) === 'NOT_FOUND' && (e as Error).message === 'get shared: no such volume');
  await svc.remove('shared', { force: true });
  assert.throws(() => svc.reference('gone', 'c1'), /get gone: no such volume/);
});

test('mount and unmount: the driver mounts for the first user and unmounts after the last; events carry Docker\'s attributes', async () => {
  const { volume } = await svc.create({ name: 'm1' }, 'c1');
  svc.reference('m1', 'c2');
  events.length = 0;
  assert.equal(await svc.mount('m1', 'c1', { destination: '/d', rw: false, propagation: '' }), volume.mountpoint);
  await svc.mount('m1', 'c2', { destination: '/e', rw: true, propagation: '' });
  await svc.unmount('m1', 'c1');
  await svc.unmount('m1', 'c1');
  await svc.unmount('m1', 'c2');
  assert.deepEqual(driver.calls, ['mount m1', 'unmount m1']);
  assert.deepEqual(events, [
    ['mount', 'm1', { container: 'c1', destination: '/d', driver: 'local', propagation: '', 'read/write': 'false' }],
    ['mount', 'm1', { container: 'c2', destination: '/e', driver: 'local', propagation: '', 'read/write': 'true' }],
    ['unmount', 'm1', { container: 'c1', driver: 'local' }],
    ['unmount', 'm1', { container: 'c2', driver: 'local' }],
  ]);
});

test('prune: unused anonymous volumes by default, all with all=true or for old API versions; label filters; sizes', async () => {
  const anon = (await svc.create({})).volume;
  await writeFile(join(anon.mountpoint, 'f'), '12345');
  const usedAnon = (await svc.create({}, 'c1')).volume;
  await svc.create({ name: 'named' });
  await svc.create({ name: 'kept', labels: { keep: 'yes' } });
  assert.deepEqual(await svc.prune(new Map(), { allByDefault: false }), { VolumesDeleted: [anon.name], SpaceReclaimed: 5 });
  assert.deepEqual(events.at(-1), ['prune', '', { reclaimed: '5' }]);
  assert.throws(() => svc.list(new Map([['dangling', ['maybe']]])), /Invalid filter 'dangling=\[maybe\]'/);
  await assert.rejects(svc.prune(new Map([['until', ['1h']]]), { allByDefault: false }), /Invalid filter 'until'/);
  await assert.rejects(svc.prune(new Map([['all', ['true']]]), { allByDefault: true }), /Invalid filter 'all'/);
  await assert.rejects(svc.prune(new Map([['all', ['yes']]]), { allByDefault: false }), /Invalid filter 'all=\[yes\]'/);
  assert.deepEqual((await svc.prune(new Map([['all', ['1']], ['label!', ['keep']]]), { allByDefault: false })).VolumesDeleted, ['named']);
  assert.deepEqual((await svc.prune(new Map([['label', ['keep=yes']]]), { allByDefault: true })).VolumesDeleted, ['kept']);
  assert.deepEqual(names(), [usedAnon.name]);
  assert.deepEqual(await svc.prune(new Map(), { allByDefault: true }), { VolumesDeleted: null, SpaceReclaimed: 0 });
});

test('restore: references of every container and mounts of running ones come back from their records', async () => {
  await svc.create({ name: 'r1' });
  await svc.create({ name: 'r2' });
  const next = new VolumeService({ drivers: [driver], events: () => {} });
  await next.init();
  next.restore([{ containerId: 'c1', names: ['r1', 'ghost'], running: true }, { containerId: 'c2', names: ['r2'], running: false }]);
  assert.deepEqual(next.users('r1'), ['c1']);
  await assert.rejects(next.remove('r2'), /volume is in use - \[c2\]/);
  await next.unmount('r1', 'c1');
  assert.deepEqual(driver.calls, ['unmount r1'], 'a restored running user is unmounted through the driver at its exit');
  const usage = await next.usage();
  assert.deepEqual(usage.map((u) => [u.volume.name, u.refCount, u.size]).sort(), [['r1', 1, 0], ['r2', 1, 0]]);
});

test('populate runs with the data reachable and no events', async () => {
  await svc.create({ name: 'p1' });
  events.length = 0;
  await svc.populate('p1', async (dir) => writeFile(join(dir, 'seed'), 'x'));
  assert.deepEqual(await readdir((svc.inspect('p1')).mountpoint), ['seed']);
  assert.deepEqual(driver.calls, ['mount p1', 'unmount p1']);
  assert.deepEqual(events, []);
});
