/**
 * Containers cannot reach the daemon: no file descriptor of berthd, conmon or the runtime is
 * left open in a container's processes (the leak of CVE-2024-21626 in runc gave a container
 * the host's cgroup directory), berthd's socket and data root are not visible inside unless
 * bind-mounted on purpose, and a process inside cannot write outside its rootfs and mounts
 * (sysrq-trigger, /sys, mount are refused; a file written at / lands in its upper dir only).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { TestDaemon } from '../harness';

const d = new TestDaemon('diso');
const MARK = `daemon-iso-${process.pid}`;
before(() => d.start());
after(() => d.stop());

async function inside(args: string[]): Promise<string> {
  const r = await d.cli(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** fd number -> target of every open fd of a host process. */
function fdsOf(pid: number): Map<string, string> {
  const dir = `/proc/${pid}/fd`;
  return new Map(readdirSync(dir).map((fd) => [fd, (() => { try { return readlinkSync(`${dir}/${fd}`); } catch { return '?'; } })()]));
}

/** What a container's stdio may be: pipes, /dev/null, a terminal. */
const STDIO = /^(pipe:\[\d+\]|\/dev\/null|\/dev\/pts\/\d+|socket:\[\d+\])$/;

/** `ls -l /proc/<p>/fd` inside, as fd -> target. */
function parseLs(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const hit = / (\d+) -> (.*)$/.exec(line.trim());
    if (hit) m.set(hit[1], hit[2]);
  }
  return m;
}

test('/proc/self/fd and /proc/1/fd inside hold only stdio, in run, run -t, run -i and exec', async () => {
  const check = (label: string, fds: Map<string, string>, self: boolean) => {
    // ls may still hold the directory it lists: fd 3 of ls itself, its own /proc/<pid>/fd
    if (self && fds.has('3')) assert.match(fds.get('3')!, /^\/proc\/\d+\/fd$/, label);
    fds.delete(self ? '3' : '');
    assert.deepEqual([...fds.keys()].sort(), ['0', '1', '2'], `${label}: ${JSON.stringify([...fds])}`);
    for (const n of ['0', '1', '2']) assert.match(fds.get(n)!, STDIO, `${label} fd ${n}`);
  };
  check('run self', parseLs(await inside(['run', '--rm', 'busybox', 'ls', '-l', '/proc/self/fd'])), true);
  check('run pid 1', parseLs(await inside(['run', '--rm', 'busybox', 'sh', '-c', 'ls -l /proc/1/fd'])), false);
  check('run -t', parseLs(await inside(['run', '--rm', '-t', 'busybox', 'ls', '-l', '/proc/self/fd'])), true);
  check('run -i', parseLs(await inside(['run', '--rm', '-i', 'busybox', 'ls', '-l', '/proc/self/fd'])), true);
  check('run --init pid 1', parseLs(await inside(['run', '--rm', '--init', 'busybox', 'sh', '-c', 'ls -l /proc/1/fd'])), false);
  await inside(['run', '-d', '--name', 'iso1', 'busybox', 'sleep', '1000']);
  check('exec self', parseLs(await inside(['exec', 'iso1', 'ls', '-l', '/proc/self/fd'])), true);
  check('exec -t self', parseLs(await inside(['exec', '-t', 'iso1', 'ls', '-l', '/proc/self/fd'])), true);
  check('pid 1 seen from exec', parseLs(await inside(['exec', 'iso1', 'ls', '-l', '/proc/1/fd'])), false);
});

test("seen from the host, no fd of a container's processes is one berthd holds, nor a host file or directory", async () => {
  const pid = (await d.api('GET', '/containers/iso1/json')).json.State.Pid as number;
  assert.ok(pid > 0);
  const ours = new Set([...fdsOf(d.proc!.pid!).values()].filter((t) => t.startsWith('socket:') || t.startsWith('anon_inode:') || t.startsWith('/')));
  for (const [fd, target] of fdsOf(pid)) {
    assert.match(target, STDIO, `fd ${fd} of the container's pid 1 is ${target}`);
    assert.ok(!ours.has(target) || target === '/dev/null', `fd ${fd} (${target}) is also open in berthd`);
  }
});

test("berthd's socket and data root are not visible inside unless bind-mounted on purpose", async () => {
  const paths = [d.socket, d.execRoot, d.dataRoot, '/run/berth/berth.sock', '/var/run/docker.sock', '/run/docker.sock'];
  const out = await inside(['run', '--rm', 'busybox', 'sh', '-c', paths.map((p) => `test -e ${p} && echo "seen ${p}"`).join('; ') + '; true']);
  assert.equal(out, '');
  const sockets = await inside(['run', '--rm', 'busybox', 'sh', '-c', 'find / -xdev -type s 2>/dev/null; true']);
  assert.equal(sockets, '', 'no unix socket at all in a fresh rootfs');
  // host network or host pid namespaces do not show it either: berthd's /proc entries are ptrace-guarded
  const pid = d.proc!.pid!;
  const hostNs = await inside(['run', '--rm', '--network', 'host', '--pid', 'host', 'busybox', 'sh', '-c',
    `test -e ${d.socket} && echo seen; ls /proc/${pid}/root/ >/dev/null 2>&1 && echo root-read; ls -l /proc/${pid}/fd/ 2>/dev/null | grep -q -- '->' && echo fds-read; cat /proc/${pid}/environ >/dev/null 2>&1 && echo environ-read; true`]);
  assert.equal(hostNs, '');
  const mounted = await inside(['run', '--rm', '-v', `${d.socket}:/var/run/docker.sock`, 'busybox', 'sh', '-c', 'test -S /var/run/docker.sock && echo socket']);
  assert.equal(mounted, 'socket\n', 'bind-mounted on purpose, it is there');
});

test('a process inside cannot write to the host: sysrq-trigger, /sys and mount are refused, / is its upper dir', async () => {
  const script = [
    'echo h > /proc/sysrq-trigger 2>/dev/null && echo sysrq-written',
    `touch /sys/${MARK} 2>/dev/null && echo sys-written`,
    'echo 1 > /sys/kernel/mm/ksm/run 2>/dev/null && echo ksm-written',
    'mount -t tmpfs none /mnt 2>/dev/null && echo mounted',
    'mount --bind / /mnt 2>/dev/null && echo bind-mounted',
    'mount -o remount,rw /proc/sys 2>/dev/null && echo remounted',
    `mknod /${MARK}-sda b 8 0 2>/dev/null && (head -c 1 /${MARK}-sda > /dev/null 2>&1 && echo disk-read)`,
    'echo 1 > /proc/sys/kernel/panic 2>/dev/null && echo sysctl-written',
    `echo inside > /${MARK}`, 'true',
  ].join('; ');
  const out = await inside(['run', '--name', 'iso2', 'busybox', 'sh', '-c', script]);
  assert.equal(out, '', 'every write outside the container was refused');
  await assert.rejects(stat(`/${MARK}`), { code: 'ENOENT' });
  await assert.rejects(stat(`/sys/${MARK}`), { code: 'ENOENT' });
  const upper = execFileSync('find', [d.dataRoot, '-name', MARK, '-not', '-path', '*/merged/*'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  assert.equal(upper.length, 1, `one copy, in the container's upper dir: ${upper}`);
  assert.match(upper[0], /\/(upper|diff)\/daemon-iso-\d+$/);
  assert.equal((await d.api('GET', '/_ping')).status, 200);
});
