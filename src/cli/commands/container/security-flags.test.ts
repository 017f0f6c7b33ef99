import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSecuritySettings } from './security-flags';
import { scratchDir } from '../../../lib/testing/scratch-dir';

test('security flags map to the create body as the docker CLI sends them', () => {
  const dir = scratchDir('berth-secflags-');
  writeFileSync(join(dir, 'p.json'), '{\n  "defaultAction": "SCMP_ACT_ALLOW"\n}\n');
  assert.deepEqual(buildSecuritySettings({
    pid: 'host', ipc: 'shareable', uts: 'host', securityOpt: [`seccomp=${join(dir, 'p.json')}`, 'no-new-privileges'],
    device: ['/dev/null:/dev/mynull:r', '/dev/fuse'], deviceCgroupRule: ['c 1:3 mr'], groupAdd: ['10', 'audio'], sysctl: ['net.ipv4.ip_forward=1'],
  }), {
    PidMode: 'host', IpcMode: 'shareable', UTSMode: 'host',
    SecurityOpt: ['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}', 'no-new-privileges'],
    Devices: [{ PathOnHost: '/dev/null', PathInContainer: '/dev/mynull', CgroupPermissions: 'r' }, { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }],
    DeviceCgroupRules: ['c 1:3 mr'], GroupAdd: ['10', 'audio'], Sysctls: { 'net.ipv4.ip_forward': '1' },
  });
  assert.deepEqual(buildSecuritySettings({}), {});
});

test('bad security flags fail in the docker CLI\'s words', () => {
  assert.throws(() => buildSecuritySettings({ sysctl: ['kernel.hostname=x'] }), /invalid argument "kernel.hostname=x" for "--sysctl" flag: sysctl 'kernel.hostname=x' is not allowed/);
  assert.throws(() => buildSecuritySettings({ securityOpt: ['seccomp=/etc/hostname'] }), /compacting json for seccomp profile \(\/etc\/hostname\) failed: invalid character/);
  assert.throws(() => buildSecuritySettings({ securityOpt: ['seccomp=/nonexist.json'] }), /opening seccomp profile \(\/nonexist.json\) failed: open \/nonexist.json: no such file or directory/);
  assert.throws(() => buildSecuritySettings({ securityOpt: ['foo'] }), /Invalid --security-opt: "foo"/);
  assert.throws(() => buildSecuritySettings({ pid: 'bogus' }), /--pid: invalid PID mode/);
  assert.throws(() => buildSecuritySettings({ uts: 'bogus' }), /--uts: invalid UTS mode/);
  assert.throws(() => buildSecuritySettings({ cgroupns: 'bogus' }), /--cgroupns: invalid CGROUP mode/);
  assert.throws(() => buildSecuritySettings({ device: ['/dev/null:rel'] }), /rel is not an absolute path/);
  assert.throws(() => buildSecuritySettings({ deviceCgroupRule: ['bad'] }), /invalid device cgroup format 'bad'/);
});
