import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkCapabilities, checkSysctls, namespacesFor, parseDevice, parseDeviceCgroupRule, parseSecurityOpts, seccompForContainer,
  type SeccompProfile,
} from './oci-security';
import { DEFAULT_CAPABILITIES, ALL_CAPABILITIES } from './capabilities';
import { buildOciSpec } from './oci-spec';

const repoFile = (p: string) => { for (const up of ['../../..', '../../../..']) { try { return readFileSync(join(__dirname, up, p), 'utf8'); } catch { /* next */ } } throw new Error(p); };
const profile = JSON.parse(repoFile('profiles/seccomp/default.json')) as SeccompProfile;
const names = (s: Record<string, unknown>) => (s.syscalls as { names: string[]; action: string }[]).filter((r) => r.action === 'SCMP_ACT_ALLOW').flatMap((r) => r.names);

test("Docker's default profile: capability-gated syscalls follow the container's capabilities", () => {
  const def = seccompForContainer(profile, { caps: DEFAULT_CAPABILITIES, nodeArch: 'x64', kernel: '6.1.0' });
  assert.equal(def.defaultAction, 'SCMP_ACT_ERRNO');
  assert.deepEqual(def.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  const allowed = names(def);
  for (const n of ['read', 'arch_prctl', 'chroot', 'ptrace']) assert.ok(allowed.includes(n), n);
  for (const n of ['mount', 'unshare', 'reboot', 'init_module', 'kexec_load', 'bpf', 'settimeofday']) assert.ok(!allowed.includes(n), n);
  // clone3 is refused with ENOSYS without CAP_SYS_ADMIN, so libc falls back to clone.
  assert.ok((def.syscalls as { names: string[]; errnoRet?: number }[]).some((r) => r.names.includes('clone3') && r.errnoRet === 38));
  const admin = names(seccompForContainer(profile, { caps: [...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN'], nodeArch: 'x64', kernel: '6.1.0' }));
  assert.ok(admin.includes('mount') && admin.includes('unshare'));
  assert.ok(!names(seccompForContainer(profile, { caps: DEFAULT_CAPABILITIES, nodeArch: 'x64', kernel: '4.4.0' })).includes('ptrace'));
  assert.ok(!names(seccompForContainer(profile, { caps: DEFAULT_CAPABILITIES, nodeArch: 'arm64', kernel: '6.1.0' })).includes('arch_prctl'));
});

test('capability names, sysctls, devices and security options are checked in Docker words', () => {
  checkCapabilities('CapAdd', ['net_admin', 'CAP_SYS_TIME', 'ALL']);
  assert.throws(() => checkCapabilities('CapAdd', ['FOO']), /invalid CapAdd: unknown capability: "CAP_FOO"/);
  assert.throws(() => checkCapabilities('CapDrop', ['cap_bar']), /invalid CapDrop: unknown capability: "CAP_BAR"/);
  checkSysctls({ 'net.ipv4.ip_forward': '1', 'kernel.shmmax': '1', 'fs.mqueue.msg_max': '10' }, { netHost: false, ipcHost: false, utsHost: false });
  assert.throws(() => checkSysctls({ 'kernel.hostname': 'x' }, { netHost: false, ipcHost: false, utsHost: false }), /sysctl 'kernel.hostname=x' is not allowed/);
  assert.throws(() => checkSysctls({ 'net.ipv4.ip_forward': '1' }, { netHost: true, ipcHost: false, utsHost: false }), /not allowed in host network namespace/);
  assert.deepEqual(parseDevice('/dev/null:/dev/mynull:r'), { PathOnHost: '/dev/null', PathInContainer: '/dev/mynull', CgroupPermissions: 'r' });
  assert.deepEqual(parseDevice('/dev/fuse'), { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' });
  assert.deepEqual(parseDeviceCgroupRule('c 1:* rm'), { allow: true, type: 'c', major: 1, minor: undefined, access: 'rm' });
  assert.throws(() => parseDeviceCgroupRule('bad'), /invalid device cgroup format 'bad'/);
  assert.deepEqual(parseSecurityOpts(['no-new-privileges', 'seccomp=unconfined', 'apparmor=docker-default']), { seccomp: 'unconfined', noNewPrivileges: true, apparmor: 'docker-default' });
  assert.throws(() => parseSecurityOpts(['foo']), /Invalid --security-opt: "foo"/);
  assert.throws(() => parseSecurityOpts(['seccomp=not json']), /Decoding seccomp profile failed/);
});

test('namespaces: host modes leave a namespace out, container: modes join by path', () => {
  const ns = namespacesFor({ pid: 'host', ipc: { path: '/proc/9/ns/ipc' }, uts: 'new', net: 'new', cgroup: 'host' });
  assert.deepEqual(ns, [{ type: 'mount' }, { type: 'network' }, { type: 'uts' }, { type: 'ipc', path: '/proc/9/ns/ipc' }]);
});

test('--privileged: every capability, no masks, no seccomp, /sys read-write', () => {
  const s = buildOciSpec({
    args: ['sh'], env: [], cwd: '/', uid: 0, gid: 0, additionalGids: [], hostname: 'h', tty: false, rootfs: '/r', readonlyRootfs: false,
    privileged: true, capAdd: [], capDrop: [], netns: 'new', etcFiles: {}, mounts: [], rlimits: [], cgroupsPath: '/b/x', shmSize: 1,
    noNewPrivileges: false, hostCapabilities: ALL_CAPABILITIES, namespaces: { pid: 'new', ipc: 'new', uts: 'new', cgroup: 'host' },
    shm: 'tmpfs', sysctls: {}, devices: [], deviceRules: [],
  }) as any;
  assert.equal(s.process.capabilities.bounding.length, ALL_CAPABILITIES.length);
  assert.equal(s.linux.maskedPaths, undefined);
  assert.equal(s.linux.seccomp, undefined);
  assert.ok(s.mounts.find((m: any) => m.destination === '/sys').options.includes('rw'));
});
