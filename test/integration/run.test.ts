import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestDaemon } from '../harness';

const d = new TestDaemon('run');
before(() => d.start());
after(() => d.stop());

test('run --rm prints the output and leaves nothing behind', async () => {
  const r = await d.cli(['run', '--rm', 'busybox', 'echo', 'hello from berth']);
  assert.equal(r.stdout, 'hello from berth\n', r.stderr);
  assert.equal(r.code, 0);
  const ps = await d.cli(['ps', '-a', '-q']);
  assert.equal(ps.stdout, '');
});

test('the exit code of the container is the exit code of run', async () => {
  const r = await d.cli(['run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.equal(r.code, 3);
  assert.equal(r.stdout, 'out\n');
  assert.equal(r.stderr, 'err\n');
});

test('stdin is piped with -i and closed at its end', async () => {
  const r = await d.cli(['run', '--rm', '-i', 'busybox', 'cat'], { input: 'hi\nthere\n' });
  assert.equal(r.stdout, 'hi\nthere\n');
  assert.equal(r.code, 0);
});

test('-e, -w, -u, -h and --entrypoint shape the process', async () => {
  const r = await d.cli(['run', '--rm', '-e', 'FOO=bar', '-w', '/tmp', '-u', 'nobody', '-h', 'myhost', 'busybox',
    'sh', '-c', 'echo $FOO $(pwd) $(id -u) $(hostname) $(cat /etc/hostname)']);
  assert.equal(r.stdout, 'bar /tmp 65534 myhost myhost\n', r.stderr);
  const e = await d.cli(['run', '--rm', '--entrypoint', 'echo', 'busybox', 'via', 'entrypoint']);
  assert.equal(e.stdout, 'via entrypoint\n');
});

test('a command missing from the image exits 127 with the runtime message', async () => {
  const r = await d.cli(['run', '--rm', 'busybox', 'nosuchcmd']);
  assert.equal(r.code, 127);
  assert.match(r.stderr, /executable file not found in \$PATH/);
  assert.equal((await d.cli(['ps', '-a', '-q'])).stdout, '');
});

test('an unknown image is a 404 in Docker words', async () => {
  const r = await d.api('POST', '/containers/create', { Image: 'nosuchimage:1' });
  assert.equal(r.status, 404);
  assert.equal(r.json.message, 'No such image: nosuchimage:1');
  assert.equal(r.headers['content-type'], 'application/json');
});

test('network modes: none has only lo, bridge has eth0 with an address, host shares the host', async () => {
  const none = await d.cli(['run', '--rm', '--network', 'none', 'busybox', 'ip', '-o', 'link']);
  assert.deepEqual(none.stdout.trim().split('\n').map((l) => l.split(':')[1].trim()), ['lo']);
  const br = await d.cli(['run', '--rm', 'busybox', 'ip', '-o', '-4', 'addr', 'show', 'eth0']);
  assert.match(br.stdout, /inet \d+\.\d+\.\d+\.\d+\/\d+/, br.stderr);
  const host = await d.cli(['run', '--rm', '--network', 'host', 'busybox', 'hostname']);
  assert.equal(host.stdout.trim(), (await import('node:os')).hostname());
  const r = await d.api('POST', '/containers/create', { Image: 'busybox', HostConfig: { NetworkMode: 'nosuchnet' } });
  assert.equal(r.status, 404);
  assert.equal(r.json.message, 'network nosuchnet not found');
});

test('/etc/hosts and resolv.conf are the container\'s own', async () => {
  const r = await d.cli(['run', '--rm', '-h', 'box1', 'busybox', 'cat', '/etc/hosts', '/etc/resolv.conf']);
  assert.match(r.stdout, /127\.0\.0\.1\tlocalhost/);
  assert.match(r.stdout, /\tbox1\n/);
  assert.match(r.stdout, /nameserver /);
});

test('runtimes: crun is refused with a clear reason on a hybrid-cgroup host, runs elsewhere; unknown ones are 400', async () => {
  const { readFileSync } = await import('node:fs');
  let hybrid = false;
  try { hybrid = readFileSync('/sys/fs/cgroup/unified/cgroup.controllers', 'utf8').trim() !== ''; } catch { hybrid = false; }
  const r = await d.cli(['run', '--rm', '--runtime', 'crun', 'busybox', 'echo', 'crun ok']);
  if (hybrid) {
    assert.equal(r.code, 125);
    assert.match(r.stderr, /runtime crun cannot run containers on this host: it refuses cgroups in hybrid mode/);
  } else {
    assert.equal(r.stdout, 'crun ok\n', r.stderr);
  }
  const bad = await d.api('POST', '/containers/create', { Image: 'busybox', HostConfig: { Runtime: 'nosuch' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.message, 'unknown or invalid runtime name: nosuch');
  assert.equal((await d.cli(['ps', '-a', '-q'])).stdout, '');
});

test('-v binds a host dir (created when missing), :ro is enforced, --tmpfs mounts a tmpfs', async () => {
  const { mkdtemp, readFile, rm } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'berth-bind-'));
  try {
    const missing = join(dir, 'made', 'by', 'berth');
    const w = await d.cli(['run', '--rm', '-v', `${dir}:/data`, '-v', `${missing}:/m`, 'busybox', 'sh', '-c', 'echo written > /data/f; ls -d /m']);
    assert.equal(w.code, 0, w.stderr);
    assert.equal(await readFile(join(dir, 'f'), 'utf8'), 'written\n');
    const ro = await d.cli(['run', '--rm', '-v', `${dir}:/data:ro`, 'busybox', 'sh', '-c', 'cat /data/f; echo x > /data/g']);
    assert.equal(ro.stdout, 'written\n');
    assert.notEqual(ro.code, 0);
    assert.match(ro.stderr, /Read-only file system/);
    const t = await d.cli(['run', '--rm', '--tmpfs', '/scratch', 'busybox', 'sh', '-c', 'grep " /scratch " /proc/mounts']);
    assert.match(t.stdout, /^tmpfs \/scratch tmpfs /);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const ports = await d.cli(['run', '--rm', '-p', '99999:80', 'busybox', 'true']);
  assert.equal(ports.code, 125);
  assert.match(ports.stderr, /invalid hostPort: 99999/);
  assert.equal((await d.cli(['ps', '-a', '-q'])).stdout, '');
});

test('NetworkMode without --network reads back as "default" before API 1.44 and "bridge" from it', async () => {
  const old = await d.api('POST', '/v1.41/containers/create', { Image: 'busybox', Cmd: ['true'] });
  const cur = await d.api('POST', '/v1.47/containers/create', { Image: 'busybox', Cmd: ['true'] });
  assert.equal((await d.api('GET', `/containers/${old.json.Id}/json`)).json.HostConfig.NetworkMode, 'default');
  assert.equal((await d.api('GET', `/containers/${cur.json.Id}/json`)).json.HostConfig.NetworkMode, 'bridge');
  for (const c of [old, cur]) await d.api('DELETE', `/containers/${c.json.Id}`);
});

test('--init runs the command under docker-init as PID 1', async () => {
  const r = await d.cli(['run', '--rm', '--init', 'busybox', 'sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\/sbin\/docker-init -- sh -c /);
});

test('--read-only, --cap-add, --cap-drop and --privileged shape what the process may do', async () => {
  const ro = await d.cli(['run', '--rm', '--read-only', 'busybox', 'touch', '/x']);
  assert.equal(ro.code, 1);
  assert.match(ro.stderr, /Read-only file system/);
  const capEff = async (args: string[]) => BigInt('0x' + /CapEff:\s*([0-9a-f]+)/.exec((await d.cli(['run', '--rm', ...args, 'busybox', 'grep', 'CapEff', '/proc/self/status'])).stdout)![1]);
  const dflt = await capEff([]);
  assert.equal(dflt, 0xa80425fbn, 'Docker\'s default capability set');
  assert.equal(await capEff(['--cap-add', 'NET_ADMIN']), dflt | (1n << 12n));
  assert.equal(await capEff(['--cap-drop', 'CHOWN']), dflt & ~1n);
  const { readFileSync } = await import('node:fs');
  const bnd = BigInt('0x' + /CapBnd:\s*([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
  assert.equal(await capEff(['--privileged']), bnd);
});
