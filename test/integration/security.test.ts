/**
 * Isolation and security defaults read from inside the container, as Docker gives them:
 * capabilities, seccomp, no-new-privileges, masked and read-only paths, namespaces, devices,
 * sysctls, users and groups, and an init that reaps zombies.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestDaemon } from '../harness';

const d = new TestDaemon('sec');
before(() => d.start());
after(() => d.stop());

/** Runs a one-off busybox container with the flags and returns its output (failing on an error). */
async function inside(flags: string[], script: string): Promise<string> {
  const r = await d.cli(['run', '--rm', ...flags, 'busybox', 'sh', '-c', script]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}
const status = (out: string, key: string) => new RegExp(`^${key}:\\s*(\\S+)`, 'm').exec(out)?.[1];

test("capabilities: Docker's default set, --cap-add, --cap-drop ALL and --privileged", async () => {
  assert.equal(status(await inside([], 'cat /proc/self/status'), 'CapEff'), '00000000a80425fb');
  assert.equal(status(await inside(['--cap-add', 'net_admin', '--cap-drop', 'CAP_CHOWN'], 'cat /proc/self/status'), 'CapEff'), '00000000a80435fa');
  assert.equal(status(await inside(['--cap-drop', 'ALL'], 'cat /proc/self/status'), 'CapEff'), '0000000000000000');
  const priv = BigInt(`0x${status(await inside(['--privileged'], 'cat /proc/self/status'), 'CapEff')}`);
  const host = BigInt(`0x${status(require('node:fs').readFileSync('/proc/self/status', 'utf8'), 'CapBnd')}`);
  assert.equal(priv, host);
  const bad = await d.cli(['run', '--rm', '--cap-add', 'FOO', 'busybox', 'true']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /invalid CapAdd: unknown capability: "CAP_FOO"/);
  assert.equal((await d.api('GET', '/containers/json?all=1')).json.length, 0, 'no container created half-way');
});

test('seccomp is on by default (mode 2), off with unconfined and --privileged; no-new-privileges', async () => {
  const def = await inside([], 'cat /proc/self/status');
  assert.equal(status(def, 'Seccomp'), '2');
  assert.equal(status(def, 'NoNewPrivs'), '0');
  // The default profile refuses what it must: unshare needs CAP_SYS_ADMIN under Docker's rules.
  assert.match(await inside([], 'unshare -m true 2>&1; echo rc=$?'), /Operation not permitted[\s\S]*rc=1/);
  assert.equal(status(await inside(['--security-opt', 'seccomp=unconfined'], 'cat /proc/self/status'), 'Seccomp'), '0');
  assert.equal(status(await inside(['--privileged'], 'cat /proc/self/status'), 'Seccomp'), '0');
  assert.equal(status(await inside(['--security-opt', 'no-new-privileges'], 'cat /proc/self/status'), 'NoNewPrivs'), '1');
  assert.ok((await d.api('GET', '/info')).json.SecurityOptions.includes('name=seccomp,profile=default'));
  const notJson = await d.cli(['run', '--rm', '--security-opt', 'seccomp=/etc/hostname', 'busybox', 'true']);
  assert.match(notJson.stderr, /compacting json for seccomp profile \(\/etc\/hostname\) failed/);
  const api = await d.api('POST', '/containers/create', { Image: 'busybox', HostConfig: { SecurityOpt: ['seccomp=nope'] } });
  assert.equal(api.status, 400);
  assert.match(api.json.message, /Decoding seccomp profile failed/);
});

test('masked and read-only paths as Docker; --privileged has none; --read-only rootfs', async () => {
  // /proc/kcore is absent on some kernels: masked or absent, it reads as nothing.
  const out = await inside([], 'cat /proc/kcore 2>/dev/null | wc -c; cat /proc/timer_list | wc -c; echo 1 > /proc/sys/kernel/domainname 2>/dev/null || echo ro; grep " /sys " /proc/mounts');
  const [kcore, timerList, ro, sys] = out.trim().split('\n');
  assert.equal(kcore.trim(), '0');
  assert.ok(require('node:fs').readFileSync('/proc/timer_list', 'utf8').length > 0, 'the host has a /proc/timer_list');
  assert.equal(timerList.trim(), '0');
  assert.ok(Number((await inside(['--privileged'], 'cat /proc/timer_list | wc -c')).trim()) > 0);
  assert.equal(ro, 'ro');
  assert.match(sys, / ro,/);
  assert.match(await inside(['--privileged'], 'grep " /sys " /proc/mounts'), / rw,/);
  assert.match(await inside(['--read-only'], 'touch /x 2>&1; echo rc=$?'), /Read-only file system[\s\S]*rc=1/);
});

test('namespaces: pid, ipc and uts private by default; --pid host, --ipc host, --uts host share the host', async () => {
  assert.equal((await inside([], 'echo $$')).trim(), '1');
  const hostPids = (await inside(['--pid', 'host'], 'ls /proc | grep -c "^[0-9]"')).trim();
  assert.ok(Number(hostPids) > 10, hostPids);
  const hostIpc = require('node:fs').readlinkSync('/proc/self/ns/ipc');
  assert.notEqual((await inside([], 'readlink /proc/self/ns/ipc')).trim(), hostIpc);
  assert.equal((await inside(['--ipc', 'host'], 'readlink /proc/self/ns/ipc')).trim(), hostIpc);
  assert.equal((await inside(['--uts', 'host'], 'hostname')).trim(), require('node:os').hostname());
  const insp = await d.cli(['create', '--name', 'ipcdef', 'busybox']);
  assert.equal(insp.code, 0, insp.stderr);
  assert.equal((await d.api('GET', '/containers/ipcdef/json')).json.HostConfig.IpcMode, 'private');
  await d.cli(['rm', 'ipcdef']);
  assert.match((await d.cli(['run', '--rm', '--ipc', 'bogus', 'busybox', 'true'])).stderr, /Invalid IPC mode: bogus/);
  assert.match((await d.cli(['run', '--rm', '-h', 'foo', '--uts', 'host', 'busybox', 'true'])).stderr, /conflicting options: hostname and the UTS mode/);
});

test('--ipc shareable and container: share /dev/shm and the IPC namespace', async () => {
  assert.equal((await d.cli(['run', '-d', '--name', 'donor', '--ipc', 'shareable', 'busybox', 'sh', '-c', 'echo hi > /dev/shm/f; sleep 60'])).code, 0);
  try {
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await inside(['--ipc', 'container:donor'], 'cat /dev/shm/f')).trim(), 'hi');
    assert.equal((await d.cli(['run', '-d', '--name', 'private', 'busybox', 'sleep', '60'])).code, 0);
    assert.match((await d.cli(['run', '--rm', '--ipc', 'container:private', 'busybox', 'true'])).stderr, /can't join IPC of container [0-9a-f]{64}: non-shareable IPC/);
  } finally { await d.cli(['rm', '-f', 'donor', 'private']); }
});

test('a seccomp profile from a file is applied; exec processes run under the container\'s profile', async () => {
  const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'berth-seccomp-'));
  const file = require('node:path').join(dir, 'no-mkdir.json');
  require('node:fs').writeFileSync(file, JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }] }));
  try {
    assert.match(await inside(['--security-opt', `seccomp=${file}`], 'mkdir /tmp/x 2>&1; echo rc=$?'), /Operation not permitted[\s\S]*rc=1/);
    assert.match(await inside([], 'mkdir /tmp/x && echo made'), /made/);
  } finally { require('node:fs').rmSync(dir, { recursive: true, force: true }); }
  assert.equal((await d.cli(['run', '-d', '--name', 'execsec', 'busybox', 'sleep', '60'])).code, 0);
  try {
    const r = await d.cli(['exec', 'execsec', 'cat', '/proc/self/status']);
    assert.equal(status(r.stdout, 'Seccomp'), '2');
    assert.equal(status(r.stdout, 'CapEff'), '00000000a80425fb');
    // --pid container: joins its PID namespace.
    assert.match(await inside(['--pid', 'container:execsec'], 'ps -o comm'), /sleep/);
  } finally { await d.cli(['rm', '-f', 'execsec']); }
});

test('--device, --sysctl, --user, --group-add', async () => {
  assert.match(await inside(['--device', '/dev/null:/dev/mynull'], 'ls -l /dev/mynull; echo x > /dev/mynull && echo ok'), /^c[\s\S]*1,\s+3[\s\S]*ok/);
  assert.match((await d.cli(['run', '--rm', '--device', '/dev/nonexist', 'busybox', 'true'])).stderr, /error gathering device information while adding custom device "\/dev\/nonexist": no such file or directory/);
  assert.equal((await inside(['--sysctl', 'net.ipv4.ip_forward=1'], 'cat /proc/sys/net/ipv4/ip_forward')).trim(), '1');
  assert.match((await d.cli(['run', '--rm', '--sysctl', 'kernel.hostname=x', 'busybox', 'true'])).stderr, /sysctl 'kernel.hostname=x' is not allowed/);
  const hostNet = await d.api('POST', '/containers/create', { Image: 'busybox', HostConfig: { NetworkMode: 'host', Sysctls: { 'net.ipv4.ip_forward': '1' } } });
  assert.equal(hostNet.status, 400);
  assert.equal((await inside(['--user', '1000:1000', '--group-add', '10', '--group-add', 'nobody'], 'id')).trim(), 'uid=1000 gid=1000 groups=10,1000,65534(nobody)');
  assert.equal((await inside(['--user', 'nobody'], 'id')).trim(), 'uid=65534(nobody) gid=65534(nobody) groups=65534(nobody)');
  assert.equal((await inside([], 'id')).trim(), 'uid=0(root) gid=0(root) groups=0(root)');
  assert.match((await d.cli(['run', '--rm', '--group-add', 'nogroupname', 'busybox', 'true'])).stderr, /Unable to find group nogroupname/);
});

test('--init runs an init as PID 1 that reaps orphaned zombies (without it they stay)', async () => {
  // PID 1 ends up as `sleep`, which never waits: the orphaned `sleep 0.1` stays a zombie
  // unless an init is PID 1 to reap it.
  const zombies = async (flags: string[], name: string) => {
    assert.equal((await d.cli(['run', '-d', '--name', name, ...flags, 'busybox', 'sh', '-c', 'sh -c "sleep 0.1 &"; exec sleep 30'])).code, 0);
    await new Promise((r) => setTimeout(r, 800));
    const ps = (await d.cli(['exec', name, 'ps', '-o', 'pid,stat,comm'])).stdout;
    await d.cli(['rm', '-f', name]);
    return { ps, count: ps.split('\n').filter((l) => / Z /.test(l)).length };
  };
  const without = await zombies([], 'noinit');
  assert.equal(without.count, 1, without.ps);
  const withInit = await zombies(['--init'], 'init');
  assert.equal(withInit.count, 0, withInit.ps);
  assert.match(withInit.ps, /^\s+1 S\s+docker-init$/m);
});
