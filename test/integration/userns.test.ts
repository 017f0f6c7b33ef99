/**
 * `--userns-remap`: containers run in a user namespace mapped onto the remapped root's
 * subordinate ranges (`default` = user dockremap, created when missing); image layers appear
 * owned by the container's root through idmapped mounts (or chowned copies when forced off),
 * and nothing of either is left behind.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDaemon, BERTH, run } from '../harness';

const hasUser = (name: string) => run('getent', ['passwd', name]).then((r) => r.code === 0);
/** dockremap's first subordinate range start in file (as berthd maps container root to it). */
const rangeStart = (file: string) => Number(/^dockremap:(\d+):\d+$/m.exec(readFileSync(file, 'utf8'))?.[1]);
/** Mount points under dir that are idmapped (per this process's mountinfo). */
const idmapped = (dir: string) => readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
  .map((l) => l.split(' ')).filter((f) => f[4]?.startsWith(dir) && f[5]?.split(',').includes('idmapped')).map((f) => f[4]);
const hostUid = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

let addedUser = false;
let uid = 0;
let gid = 0;
let bindDir = '';
const d = new TestDaemon('uns', ['--userns-remap', 'default']);

before(async () => {
  addedUser = !(await hasUser('dockremap'));
  await d.start();
  uid = rangeStart('/etc/subuid');
  gid = rangeStart('/etc/subgid');
  bindDir = await mkdtemp(join(tmpdir(), 'berth-uns-bind-'));
  await chmod(bindDir, 0o777);
});

after(async () => {
  await d.stop();
  if (bindDir) await rm(bindDir, { recursive: true, force: true });
  if (addedUser) {
    await run('userdel', ['dockremap']);
    await run('groupdel', ['dockremap']);
    for (const f of ['/etc/subuid', '/etc/subgid']) await run('sed', ['-i', '/^dockremap:/d', f]);
  }
});

async function runOut(args: string[]): Promise<string> {
  const r = await d.cli(['run', '--rm', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

test('default creates dockremap with ranges; docker info shows name=userns', async () => {
  assert.ok(uid >= 100000 && gid >= 100000, `dockremap ranges: ${uid}, ${gid}`);
  const info = await d.api('GET', '/info');
  assert.ok(info.json.SecurityOptions.includes('name=userns'), JSON.stringify(info.json.SecurityOptions));
});

test('root in the container is the subordinate uid on the host; image files show 0:0', async () => {
  const out = await runOut(['busybox', 'sh', '-c', 'id -u; cat /proc/self/uid_map; cat /proc/self/gid_map; stat -c %u:%g /bin/busybox /; ls /sys/class/net | tr "\\n" " "']);
  const [id, umap, gmap, bb, root, nets] = out.split('\n').map((l) => l.trim().split(/\s+/).join(' '));
  // /sys is the container's own sysfs (its network namespace belongs to its user namespace)
  assert.equal(nets, 'eth0 lo');
  assert.equal(id, '0');
  assert.equal(umap, `0 ${uid} 65536`);
  assert.equal(gmap, `0 ${gid} 65536`);
  assert.equal(bb, '0:0');
  assert.equal(root, '0:0');

  const c = await d.cli(['run', '-d', '--name', 'uns-sleep', 'busybox', 'sh', '-c', 'echo hi > /written; sleep 60']);
  assert.equal(c.code, 0, c.stderr);
  const id2 = c.stdout.trim();
  const pid = (await d.api('GET', `/containers/${id2}/json`)).json.State.Pid;
  assert.equal(hostUid(pid), uid, 'the container process runs as the subordinate uid on the host');
  // The layers are idmapped mounts, not copies; the writable layer belongs to the remapped root.
  const containerDir = join(d.dataRoot, 'overlay', 'containers', id2);
  const mounts = idmapped(containerDir);
  assert.ok(mounts.length >= 1 && mounts.every((m) => m.startsWith(join(containerDir, 'lower'))), `idmapped lowers: ${mounts}`);
  assert.equal(existsSync(join(d.dataRoot, `${uid}.${gid}`, 'layers')), false, 'no chowned copy of the layers');
  for (let i = 0; i < 50 && !existsSync(join(containerDir, 'diff', 'written')); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(statSync(join(containerDir, 'diff', 'written')).uid, uid);
  assert.equal(statSync(join(containerDir, 'diff')).uid, uid);
  assert.equal(statSync(join(d.dataRoot, 'containers', id2, 'hosts')).uid, uid);
  const ex = await d.cli(['exec', 'uns-sleep', 'id', '-u']);
  assert.equal(ex.stdout.trim(), '0', ex.stderr);
  assert.equal((await d.cli(['rm', '-f', 'uns-sleep'])).code, 0);
  assert.deepEqual(idmapped(d.dataRoot), [], 'no idmapped mount left after rm');
});

test("commit and build under remap record the container's own IDs, not the host's", async () => {
  const made = await d.cli(['run', '--name', 'uns-commit', 'busybox', 'sh', '-c', 'mkdir /made && touch /made/f && chown 7:8 /made/f']);
  assert.equal(made.code, 0, made.stderr);
  assert.equal((await d.cli(['commit', 'uns-commit', 'uns-committed'])).code, 0);
  await d.cli(['rm', 'uns-commit']);
  const ctxDir = await mkdtemp(join(tmpdir(), 'berth-uns-build-'));
  try {
    await writeFile(join(ctxDir, 'Dockerfile'), 'FROM busybox\nRUN mkdir /b && touch /b/f && chown 9:10 /b/f\n');
    const b = await d.cli(['build', '-q', '-t', 'uns-built', ctxDir]);
    assert.equal(b.code, 0, b.stderr);
  } finally {
    await rm(ctxDir, { recursive: true, force: true });
  }
  for (const userns of [['--userns=host'], []]) {
    assert.equal(await runOut([...userns, 'uns-committed', 'stat', '-c', '%u:%g', '/made', '/made/f']), '0:0\n7:8');
    assert.equal(await runOut([...userns, 'uns-built', 'stat', '-c', '%u:%g', '/b', '/b/f']), '0:0\n9:10');
  }
  await d.cli(['rmi', 'uns-committed', 'uns-built']);
});

test('a file made in a bind mount and in a new named volume belongs to the subordinate uid', async () => {
  assert.equal((await d.cli(['volume', 'create', 'unsmade'])).code, 0);
  await runOut(['-v', `${bindDir}:/m`, '-v', 'unsvol:/v', '-v', 'unsmade:/w', 'busybox', 'sh', '-c', 'touch /m/f /v/f /w/f']);
  const made = (await d.api('GET', '/volumes/unsmade')).json.Mountpoint as string;
  assert.equal(statSync(made).uid, uid, 'a volume made by `volume create` belongs to the remapped root');
  assert.equal(statSync(join(made, 'f')).uid, uid);
  await d.cli(['volume', 'rm', 'unsmade']);
  const st = statSync(join(bindDir, 'f'));
  assert.equal(st.uid, uid);
  assert.equal(st.gid, gid);
  const vol = (await d.api('GET', '/volumes/unsvol')).json.Mountpoint as string;
  assert.equal(statSync(join(vol, 'f')).uid, uid);
  assert.equal(statSync(vol).uid, uid);
  await d.cli(['volume', 'rm', 'unsvol']);
});

test('cp and export map owners both ways: out with the container IDs, in shifted to the subordinate range', async () => {
  const sh = (script: string) => run('sh', ['-c', script], { env: { ...process.env, B: `${process.execPath} ${BERTH} -H ${d.host}` } });
  /** `uid/gid name` of each entry of a tar read by the host's tar. */
  const owners = async (script: string) => {
    const r = await sh(`${script} | tar -tvf - --numeric-owner`);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim().split('\n').map((l) => { const f = l.trim().split(/\s+/); return `${f[1]} ${f[f.length - 1]}`; });
  };
  const work = await mkdtemp(join(tmpdir(), 'berth-uns-cp-'));
  await writeFile(join(bindDir, 'hostowned'), 'host root\n');
  const c = await d.cli(['run', '-d', '--name', 'uns-cp', '-v', `${bindDir}:/m`, 'busybox', 'sh', '-c', 'echo a > /out0; echo b > /out1000; chown 1000:1000 /out1000; mkdir /in; exec sleep 60']);
  try {
    assert.equal(c.code, 0, c.stderr);
    const upper = join(d.dataRoot, 'overlay', 'containers', c.stdout.trim(), 'diff');
    for (let i = 0; i < 50 && !existsSync(join(upper, 'in')); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(statSync(join(upper, 'out0')).uid, uid, 'stored with the host ID');
    assert.deepEqual(await owners('$B cp uns-cp:/out0 -'), ['0/0 out0']);
    assert.deepEqual(await owners('$B cp uns-cp:/out1000 -'), ['1000/1000 out1000']);
    // a host ID the mapping does not cover is the overflow ID, as the container sees it
    assert.deepEqual(await owners('$B cp uns-cp:/m/hostowned -'), ['65534/65534 hostowned']);
    const exported = await owners('$B export uns-cp');
    for (const e of ['0/0 out0', '1000/1000 out1000', '0/0 bin/busybox']) assert.ok(exported.includes(e), `export has ${e}`);

    await mkdir(join(work, 'p', 'q'), { recursive: true });
    for (const f of ['f0', 'f1000', 'p/q/f']) await writeFile(join(work, f), f);
    const tarOf = (owner: number, f: string) => `tar -C ${work} -cf - --numeric-owner --owner=${owner} --group=${owner} ${f}`;
    for (const [owner, f] of [[0, 'f0'], [1000, 'f1000'], [0, 'p/q/f']] as const) {
      const r = await sh(`${tarOf(owner, f)} | $B cp - uns-cp:/in`);
      assert.equal(r.code, 0, r.stderr);
    }
    assert.equal(statSync(join(upper, 'in', 'f0')).uid, uid);
    assert.equal(statSync(join(upper, 'in', 'f0')).gid, gid);
    assert.equal(statSync(join(upper, 'in', 'f1000')).uid, uid + 1000);
    assert.equal(statSync(join(upper, 'in', 'p')).uid, uid, 'a missing parent is made for the remapped root');
    const inside = await d.cli(['exec', 'uns-cp', 'stat', '-c', '%u:%g %n', '/in/f0', '/in/f1000', '/in/p', '/in/p/q/f']);
    assert.equal(inside.stdout, '0:0 /in/f0\n1000:1000 /in/f1000\n0:0 /in/p\n0:0 /in/p/q/f\n', inside.stderr);
    const ls = await d.cli(['exec', 'uns-cp', 'ls', '-ln', '/in/f0']);
    assert.match(ls.stdout, /^\S+\s+1\s+0\s+0\s/, ls.stderr);
    const outside = await sh(`${tarOf(70000, 'f0')} | $B cp - uns-cp:/in`);
    assert.notEqual(outside.code, 0);
    assert.match(outside.stderr, /Container ID 70000 cannot be mapped to a host ID/);
  } finally {
    await d.cli(['rm', '-f', 'uns-cp']);
    await rm(join(bindDir, 'hostowned'), { force: true });
    await rm(work, { recursive: true, force: true });
  }
});

test('--userns=host runs as real root; privileged, host network and host pid need it', async () => {
  const out = await runOut(['--userns=host', 'busybox', 'sh', '-c', 'id -u; cat /proc/self/uid_map']);
  assert.deepEqual(out.split('\n').map((l) => l.trim().split(/\s+/).join(' ')), ['0', '0 0 4294967295']);
  const priv = await d.cli(['run', '--rm', '--privileged', 'busybox', 'true']);
  assert.notEqual(priv.code, 0);
  assert.match(priv.stderr, /privileged mode is incompatible with user namespaces/);
  assert.match((await d.cli(['run', '--rm', '--network', 'host', 'busybox', 'true'])).stderr, /cannot share the host's network namespace when user namespaces are enabled/);
  assert.match((await d.cli(['run', '--rm', '--pid', 'host', 'busybox', 'true'])).stderr, /cannot share the host PID namespace when user namespaces are enabled/);
  assert.equal(await runOut(['--userns=host', '--privileged', 'busybox', 'id', '-u']), '0');
  assert.deepEqual(idmapped(d.dataRoot), []);
});

test('a daemon restart while a container runs leaves no idmapped mount once it stops', async () => {
  const c = await d.cli(['run', '-d', '--name', 'uns-live', 'busybox', 'sleep', '60']);
  assert.equal(c.code, 0, c.stderr);
  await d.kill('SIGKILL');
  await d.start();
  assert.equal((await d.api('GET', '/containers/uns-live/json')).json.State.Running, true);
  assert.equal((await d.cli(['rm', '-f', 'uns-live'])).code, 0);
  assert.deepEqual(idmapped(d.dataRoot), []);
});

test('forced fallback: chowned layer copies per remapped root, made once and shared', async () => {
  const f = new TestDaemon('unsc', ['--userns-remap', 'default']);
  process.env.BERTH_USERNS_IDMAP = '0';
  try {
    await f.start();
    delete process.env.BERTH_USERNS_IDMAP;
    const ask = async () => {
      const r = await f.cli(['run', '--rm', 'busybox', 'sh', '-c', 'id -u; stat -c %u:%g /bin/busybox; cat /proc/self/uid_map']);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.split('\n').map((l) => l.trim().split(/\s+/).join(' '));
    };
    assert.deepEqual((await ask()).slice(0, 3), ['0', '0:0', `0 ${uid} 65536`]);
    const copies = join(f.dataRoot, `${uid}.${gid}`, 'layers');
    const layers = await readdir(copies);
    assert.equal(layers.length, 1, 'one copy of busybox\'s one layer');
    const inode = statSync(join(copies, layers[0], 'diff', 'bin', 'busybox'));
    assert.equal(inode.uid, uid);
    await ask();
    assert.equal(statSync(join(copies, layers[0], 'diff', 'bin', 'busybox')).ino, inode.ino, 'the copy is reused');
    assert.deepEqual(idmapped(f.dataRoot), []);
  } finally {
    delete process.env.BERTH_USERNS_IDMAP;
    await f.stop();
  }
});

test('a remap user without subordinate ranges stops the daemon with a clear error', async () => {
  execFileSync('getent', ['passwd', 'nobody']);
  const bad = new TestDaemon('unsn', ['--userns-remap', 'nobody:nogroup']);
  try {
    await assert.rejects(bad.start(), /no subuid ranges found for user "nobody"/);
  } finally {
    await bad.stop();
  }
});
