import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBindSpec, parseApiMount, planMounts, tmpfsOptions } from './mounting';
import { validateHostMounts } from './mounts';

test('-v specs parse as dockerd reads them: binds, named and anonymous volumes, modes', () => {
  const b = parseBindSpec('/src/:/dst:ro,z');
  assert.deepEqual([b.type, b.source, b.destination, b.rw, b.mode, b.propagation, b.createSource], ['bind', '/src', '/dst', false, 'ro,z', 'rprivate', true]);
  assert.equal(parseBindSpec('/a:/b:rshared').propagation, 'rshared');
  const v = parseBindSpec('data:/d');
  assert.deepEqual([v.type, v.volume?.name, v.mode, v.rw, v.copyData, v.anonymous], ['volume', 'data', 'z', true, true, false]);
  assert.equal(parseBindSpec('data:/d:ro').mode, 'ro');
  assert.equal(parseBindSpec('data:/d:nocopy').copyData, false);
  assert.equal(parseBindSpec('data:/d', 'foo').volume?.driver, 'foo');
  assert.equal(parseBindSpec('/anon').anonymous, true);
});

test('-v errors are Docker\'s', () => {
  assert.throws(() => parseBindSpec('a:b:c:d'), /^InvalidArgument: invalid volume specification: 'a:b:c:d'$/);
  assert.throws(() => parseBindSpec('/a:rw'), /invalid volume specification: '\/a:rw'$/);
  assert.throws(() => parseBindSpec('/a:rel'), /invalid volume specification: '\/a:rel': invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute/);
  assert.throws(() => parseBindSpec('rel:rel'), /invalid mount config for type "volume": invalid mount path: 'rel' mount path must be absolute/);
  assert.throws(() => parseBindSpec('/a:/b:bogus'), /^InvalidArgument: invalid mode: bogus$/);
  assert.throws(() => parseBindSpec('/a:/b:ro,rw'), /invalid mode: ro,rw/);
  assert.throws(() => parseBindSpec('/a:/'), /destination can't be '\/'/);
  assert.throws(() => parseBindSpec('/tmp:/d:nocopy'), /type "bind": field VolumeOptions must not be specified/);
  assert.throws(() => parseBindSpec('v:/d:rshared'), /type "volume": field BindOptions must not be specified/);
});

test('--mount specs: validation, defaults and tmpfs options', () => {
  assert.throws(() => parseApiMount({ Type: 'bind', Source: 'rel', Target: '/x' }), /^InvalidArgument: invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute$/);
  assert.throws(() => parseApiMount({ Type: 'bind', Source: '/nonexistent-berth-path', Target: '/x' }), /bind source path does not exist: \/nonexistent-berth-path/);
  assert.throws(() => parseApiMount({ Target: '/d' }), /invalid mount config for type "": mount type unknown/);
  assert.throws(() => parseApiMount({ Type: 'volume' }), /field Target must not be empty/);
  assert.throws(() => parseApiMount({ Type: 'volume', Target: '/d', ReadOnly: true }), /must not set ReadOnly mode when using anonymous volumes/);
  assert.throws(() => parseApiMount({ Type: 'tmpfs', Source: '/x', Target: '/d' }), /field Source must not be specified/);
  assert.throws(() => parseApiMount({ Type: 'bind', Source: '/tmp', Target: '/d', BindOptions: { Propagation: 'bogus' } }), /invalid propagation mode: bogus/);
  assert.throws(() => parseApiMount({ Type: 'volume', Source: 'v', Target: '/d', VolumeOptions: { Subpath: '../x' } }), /subpath must be a relative path/);
  const v = parseApiMount({ Type: 'volume', Source: 'v', Target: '/d/', ReadOnly: true, VolumeOptions: { NoCopy: true, Subpath: 'a/b' } });
  assert.deepEqual([v.destination, v.mode, v.rw, v.copyData, v.subpath], ['/d', 'z', false, false, 'a/b']);
  assert.equal(parseApiMount({ Type: 'volume', Target: '/d' }).anonymous, true);
  assert.deepEqual(tmpfsOptions({ SizeBytes: 64 * 2 ** 20, Mode: 0o1777 }, true), ['ro', 'mode=1777', 'size=64m']);
  assert.deepEqual(tmpfsOptions({ SizeBytes: 1000 }, false), ['size=1000']);
});

test('the plan: --volumes-from first, then binds over it, duplicates refused, image volumes where free', () => {
  const from = [{ type: 'volume' as const, name: 'dbdata', source: '/v/dbdata/_data', destination: '/dbdata', driver: 'local', mode: 'z', rw: true, propagation: '' }];
  const base = { binds: null, mounts: null, tmpfs: null, volumesFrom: null, volumeDriver: '', configVolumes: null, mountsOf: (ref: string) => (ref === 'db' ? from : undefined) };
  const plan = planMounts({ ...base, volumesFrom: ['db:ro'], binds: ['/h:/backup'], configVolumes: { '/backup': {}, '/data': {} } });
  assert.deepEqual(plan.map((m) => [m.destination, m.type, m.rw, m.mode, !!m.inherited, !!m.anonymous]), [
    ['/dbdata', 'volume', false, '', true, false], ['/backup', 'bind', true, '', false, false], ['/data', 'volume', true, '', false, true],
  ]);
  assert.equal(planMounts({ ...base, volumesFrom: ['db'], binds: ['/h:/dbdata'] })[0].type, 'bind');
  assert.throws(() => planMounts({ ...base, binds: ['/tmp:/data', 'v1:/data'] }), /^InvalidArgument: Duplicate mount point: \/data$/);
  assert.throws(() => planMounts({ ...base, binds: ['/tmp:/d'], mounts: [{ Type: 'volume', Source: 'xy', Target: '/d/' }] }), /Duplicate mount point: \/d$/);
  assert.throws(() => planMounts({ ...base, binds: ['/tmp:/d'], tmpfs: { '/d': '' } }), /Duplicate mount point: \/d$/);
  assert.throws(() => planMounts({ ...base, volumesFrom: ['nosuch'] }), /No such container: nosuch/);
  assert.throws(() => planMounts({ ...base, volumesFrom: ['db:xx'] }), /invalid mode: xx/);
  assert.throws(() => planMounts({ ...base, volumesFrom: ['db:rshared'] }), /invalid mode: rshared/);
  assert.throws(() => planMounts({ ...base, configVolumes: { rel: {} } }), /invalid mount path: 'rel' mount path must be absolute/);
  assert.deepEqual(planMounts({ ...base, tmpfs: { '/run': '' }, configVolumes: { '/run': {} } }), []);
});

test('validateHostMounts checks -v and --mount early', () => {
  assert.doesNotThrow(() => validateHostMounts({ Binds: ['/x:/y', 'v:/z'] }));
  // A relative source is a volume name: its characters are the volumes service's to check.
  assert.equal(parseBindSpec('a/b:/x').volume?.name, 'a/b');
  assert.throws(() => validateHostMounts({ Mounts: [{ Type: 'bogus', Target: '/d' }] } as never), /mount type unknown/);
});
