import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildOciSpec, effectiveCapabilities, capabilitiesInMask, ALL_CAPABILITIES, DEFAULT_CAPABILITIES, ContainerSpecInput } from './oci-spec';

const base: ContainerSpecInput = {
  args: ['sh'], env: ['PATH=/bin'], cwd: '/', uid: 0, gid: 0, additionalGids: [], hostname: 'abc',
  tty: false, rootfs: '/r', readonlyRootfs: false, privileged: false, capAdd: [], capDrop: [],
  netns: '/run/berth/netns/x', etcFiles: { hosts: '/c/hosts' }, mounts: [], rlimits: [],
  cgroupsPath: '/berth/x', shmSize: 67108864, noNewPrivileges: false, hostCapabilities: ALL_CAPABILITIES,
  namespaces: { pid: 'new', ipc: 'new', uts: 'new', cgroup: 'host' }, shm: 'tmpfs', sysctls: {}, devices: [], deviceRules: [],
};

test('capabilities follow --cap-add and --cap-drop as Docker computes them', () => {
  assert.deepEqual(effectiveCapabilities({ privileged: false, capAdd: [], capDrop: [] }, ALL_CAPABILITIES), DEFAULT_CAPABILITIES);
  const c = effectiveCapabilities({ privileged: false, capAdd: ['net_admin'], capDrop: ['CHOWN'] }, ALL_CAPABILITIES);
  assert.ok(c.includes('CAP_NET_ADMIN'));
  assert.ok(!c.includes('CAP_CHOWN'));
  assert.deepEqual(effectiveCapabilities({ privileged: false, capAdd: ['KILL'], capDrop: ['ALL'] }, ALL_CAPABILITIES), ['CAP_KILL']);
  assert.equal(effectiveCapabilities({ privileged: true, capAdd: [], capDrop: [] }, ALL_CAPABILITIES).length, ALL_CAPABILITIES.length);
});

test('spec joins the given network namespace and masks /proc paths', () => {
  const s = buildOciSpec(base) as any;
  assert.deepEqual(s.linux.namespaces.find((n: any) => n.type === 'network'), { type: 'network', path: '/run/berth/netns/x' });
  assert.ok(s.linux.maskedPaths.includes('/proc/kcore'));
  assert.ok(s.linux.readonlyPaths.includes('/proc/sys'));
  assert.equal(s.hostname, 'abc');
  assert.ok(s.mounts.some((m: any) => m.destination === '/etc/hosts' && m.source === '/c/hosts'));
  assert.ok(!s.mounts.some((m: any) => m.destination === '/etc/resolv.conf'));
});

test('host network shares the host namespace and hostname; privileged unmasks', () => {
  const s = buildOciSpec({ ...base, netns: 'host', privileged: true }) as any;
  assert.equal(s.linux.namespaces.find((n: any) => n.type === 'network'), undefined);
  assert.equal(s.hostname, undefined);
  assert.equal(s.linux.maskedPaths, undefined);
});

test('a user mount replaces a default mount at the same destination', () => {
  const s = buildOciSpec({ ...base, mounts: [{ destination: '/dev/shm', type: 'bind', source: '/x', options: ['rbind'] }] }) as any;
  const shm = s.mounts.filter((m: any) => m.destination === '/dev/shm');
  assert.equal(shm.length, 1);
  assert.equal(shm[0].source, '/x');
});

test('a bounding-set mask names the capabilities it holds', () => {
  const caps = capabilitiesInMask('000001fffeffffff');
  assert.ok(!caps.includes('CAP_SYS_RESOURCE'));
  assert.ok(caps.includes('CAP_SYS_ADMIN') && caps.includes('CAP_CHECKPOINT_RESTORE'));
  assert.equal(caps.length, ALL_CAPABILITIES.length - 1);
  const spec = buildOciSpec({ ...base, privileged: true, hostCapabilities: caps }) as any;
  assert.deepEqual(spec.process.capabilities.bounding, caps);
});
