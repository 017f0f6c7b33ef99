import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { buildMountSettings, parseMountFlag, parseVolumeSpec, ramInBytes } from './mount-flags';
import { formatVolumePruneReport } from '../volume/prune';
import { naturalLess, volumeContext, volumeFormat } from '../../formatters/volume-context';

test('-v: sources make Binds (./rel made absolute), bare paths Config.Volumes; the CLI\'s spec errors', () => {
  const s = buildMountSettings({ volume: ['/data', 'named:/n:ro', '/h:/b', './rel:/r', '~/x:/t'] });
  assert.deepEqual(s.binds, ['named:/n:ro', '/h:/b', `${resolve('rel')}:/r`, '~/x:/t']);
  assert.deepEqual(s.volumes, { '/data': {} });
  assert.deepEqual(s.hostConfig, {});
  assert.throws(() => parseVolumeSpec(':/a'), /^Error: invalid spec: :\/a: empty section between colons$/);
  assert.throws(() => parseVolumeSpec('a:b:c:d'), /invalid spec: a:b:c:d: too many colons/);
  assert.deepEqual(parseVolumeSpec('/x'), { source: '', target: '/x', type: 'volume' });
});

test('--mount: docker\'s CSV fields, defaults and errors', () => {
  assert.deepEqual(parseMountFlag('target=/d'), { Type: 'volume', Target: '/d' });
  assert.deepEqual(parseMountFlag('type=volume,src=v,dst=/d,ro,volume-nocopy,volume-opt=type=tmpfs,volume-label=a=b,volume-subpath=x/y'), {
    Type: 'volume', Source: 'v', Target: '/d', ReadOnly: true,
    VolumeOptions: { NoCopy: true, DriverConfig: { Options: { type: 'tmpfs' } }, Labels: { a: 'b' }, Subpath: 'x/y' },
  });
  assert.deepEqual(parseMountFlag('type=bind,source=./here,target=/d,bind-propagation=RSHARED,readonly=false'), {
    Type: 'bind', Source: resolve('here'), Target: '/d', BindOptions: { Propagation: 'rshared' }, ReadOnly: false,
  });
  assert.deepEqual(parseMountFlag('type=tmpfs,destination=/t,tmpfs-size=64m,tmpfs-mode=1777'), { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 64 * 2 ** 20, Mode: 0o1777 } });
  assert.equal(parseMountFlag('"type=bind","src=/a,b",dst=/c').Source, '/a,b');
  const err = (v: string, why: string) => assert.throws(() => parseMountFlag(v), (e: Error) => e.message === `invalid argument "${v}" for "--mount" flag: ${why}`);
  err('type=volume,src=v,dst=/d,bogus=1', "unexpected key 'bogus' in 'bogus=1'");
  err('type=bind,src=/tmp,dst=/d,volume-nocopy', "cannot mix 'volume-*' options with mount type 'bind'");
  err('type=volume,src=vx,dst=/d,bind-propagation=rshared', "cannot mix 'bind-*' options with mount type 'volume'");
  err('type=volume,dst=/d,tmpfs-size=1m', "cannot mix 'tmpfs-*' options with mount type 'volume'");
  err('type=volume,src=v,dst=/d,ro=maybe', 'invalid value for ro: maybe');
  err('type=tmpfs,dst=/d,tmpfs-size=abc', 'invalid value for tmpfs-size: abc');
  err('type=tmpfs,dst=/d,tmpfs-mode=9', 'invalid value for tmpfs-mode: 9');
  err('type=volume,src=v', 'target is required');
  err('type=volume,dst=/d,nokey', "invalid field 'nokey' must be a key=value pair");
  assert.equal(ramInBytes('1.5g'), 1.5 * 2 ** 30);
  assert.equal(ramInBytes('512'), 512);
  assert.equal(ramInBytes('10KiB'), 10240);
});

test('--volumes-from and --volume-driver land in HostConfig', () => {
  assert.deepEqual(buildMountSettings({ volumesFrom: ['db:ro'], volumeDriver: 'local', mount: ['type=tmpfs,dst=/t'] }).hostConfig, {
    Mounts: [{ Type: 'tmpfs', Target: '/t' }], VolumesFrom: ['db:ro'], VolumeDriver: 'local',
  });
});

test('volume ls formats and the prune report as docker prints them', () => {
  assert.equal(volumeFormat('table', false), 'table {{.Driver}}\t{{.Name}}');
  assert.equal(volumeFormat('table', true), '{{.Name}}');
  assert.equal(volumeFormat('{{.Name}}', true), '{{.Name}}');
  const ctx = volumeContext({ Name: 'v', Driver: 'local', Scope: 'local', Mountpoint: '/m', CreatedAt: '', Labels: { a: 'b', c: '' }, Options: null });
  assert.deepEqual([(ctx.Labels as () => string)(), (ctx.Links as () => string)(), (ctx.Size as () => string)(), (ctx.Label as (n: string) => string)('a')], ['a=b,c=', 'N/A', 'N/A', 'b']);
  assert.equal((volumeContext({ Name: 'v', Driver: 'local', Scope: 'local', Mountpoint: '', CreatedAt: '', Labels: null, Options: null, UsageData: { RefCount: 2, Size: 1500 } }).Size as () => string)(), '1.5kB');
  assert.ok(naturalLess('v2', 'v10') && !naturalLess('v10', 'v2') && naturalLess('a', 'b'));
  assert.equal(formatVolumePruneReport({ VolumesDeleted: null, SpaceReclaimed: 0 }), 'Total reclaimed space: 0B\n');
  assert.equal(formatVolumePruneReport({ VolumesDeleted: ['a', 'b'], SpaceReclaimed: 2048 }), 'Deleted Volumes:\na\nb\n\nTotal reclaimed space: 2.048kB\n');
});
