/**
 * One behavioural suite for both cgroup layouts, over recorded trees (plain files laid out as
 * each kernel lays them out: the v1 controllers here are real, v2's controllers cannot be
 * enabled on this hybrid host), plus layout detection on a real cgroup2 mount where allowed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInvalidArgument, isNotFound } from '../../errdefs';
import { withFileTree } from '../../lib/file-tree';
import { CgroupV1, CgroupV2, openContainerCgroups, sharesToWeight, readCgroupHostInfo, type ContainerCgroup } from '.';

const ID = 'c1';
const V1: Record<string, string> = {
  'memory/berth/c1/memory.limit_in_bytes': '9223372036854771712\n',
  'memory/berth/c1/memory.memsw.limit_in_bytes': '9223372036854771712\n',
  'memory/berth/c1/memory.soft_limit_in_bytes': '9223372036854771712\n',
  'memory/berth/c1/memory.swappiness': '60\n',
  'memory/berth/c1/memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n',
  'cpu/berth/c1/cpu.shares': '1024\n', 'cpu/berth/c1/cpu.cfs_quota_us': '-1\n', 'cpu/berth/c1/cpu.cfs_period_us': '100000\n',
  'cpuset/berth/c1/cpuset.cpus': '0-1\n', 'cpuset/berth/c1/cpuset.mems': '0\n', 'pids/berth/c1/pids.max': 'max\n',
  'cpuset/cpuset.effective_cpus': '0-3\n', 'cpuset/cpuset.effective_mems': '0\n', 'memory/memory.memsw.limit_in_bytes': '0\n',
};
const V2: Record<string, string> = {
  'cgroup.controllers': 'cpuset cpu io memory pids\n', 'cgroup.subtree_control': 'cpuset cpu io memory pids\n',
  'cpuset.cpus.effective': '0-7\n', 'cpuset.mems.effective': '0\n',
  'berth/c1/memory.max': 'max\n', 'berth/c1/memory.swap.max': 'max\n', 'berth/c1/memory.low': '0\n',
  'berth/c1/memory.events': 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n',
  'berth/c1/cpu.weight': '100\n', 'berth/c1/cpu.max': 'max 100000\n', 'berth/c1/cpuset.cpus': '\n', 'berth/c1/cpuset.mems': '\n',
  'berth/c1/pids.max': 'max\n', 'berth/c1/io.weight': 'default 100\n',
};

const withTree = (files: Record<string, string>, body: (root: string) => Promise<void>) => withFileTree(files, body, 'berth-cgw-');

const read = (root: string, rel: string) => readFile(join(root, rel), 'utf8');

/** The file each layout keeps a fact in, for the shared suite. */
const LAYOUTS: { name: string; tree: Record<string, string>; open: (root: string) => ContainerCgroup; oomFile: string; oomText: string }[] = [
  { name: 'v1', tree: V1, open: (r) => new CgroupV1(r), oomFile: 'memory/berth/c1/memory.oom_control', oomText: 'oom_kill_disable 0\nunder_oom 0\noom_kill 1\n' },
  { name: 'v2', tree: V2, open: (r) => new CgroupV2(r), oomFile: 'berth/c1/memory.events', oomText: 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n' },
];

for (const l of LAYOUTS) {
  test(`${l.name}: openContainerCgroups picks it; memory limit, OOM kills and a missing cgroup`, async () => {
    await withTree(l.tree, async (root) => {
      const cg = openContainerCgroups(root);
      assert.equal(cg.version, l.name === 'v1' ? 1 : 2);
      assert.equal(await cg.memoryLimit(ID), -1);
      assert.equal(await cg.oomKilled(ID), false);
      await writeFile(join(root, l.oomFile), l.oomText);
      assert.equal(await cg.oomKilled(ID), true);
      await cg.update(ID, { memory: { limit: 64 << 20 } });
      assert.equal(await cg.memoryLimit(ID), 64 << 20);
      await assert.rejects(cg.update('gone', { memory: { limit: 64 << 20 } }), isNotFound);
      await assert.rejects(cg.oomKilled('gone'), isNotFound);
    });
  });
}

test('v1: files as runc writes them; memsw before memory when raising, after when lowering', async () => {
  await withTree(V1, async (root) => {
    const cg = new CgroupV1(root);
    await cg.update(ID, { memory: { limit: 100, swap: 200, reservation: 50, swappiness: 10, disableOOMKiller: true }, cpu: { shares: 512, period: 50000, quota: 25000, cpus: '0', mems: '0' }, pids: { limit: 20 } });
    const got = await Promise.all(['memory/berth/c1/memory.limit_in_bytes', 'memory/berth/c1/memory.memsw.limit_in_bytes', 'memory/berth/c1/memory.soft_limit_in_bytes', 'memory/berth/c1/memory.swappiness', 'memory/berth/c1/memory.oom_control', 'cpu/berth/c1/cpu.shares', 'cpu/berth/c1/cpu.cfs_period_us', 'cpu/berth/c1/cpu.cfs_quota_us', 'cpuset/berth/c1/cpuset.cpus', 'pids/berth/c1/pids.max'].map((f) => read(root, f)));
    assert.deepEqual(got, ['100', '200', '50', '10', '1', '512', '50000', '25000', '0', '20']);
    await cg.update(ID, { pids: { limit: -1 } });
    assert.equal(await read(root, 'pids/berth/c1/pids.max'), 'max');
    assert.equal(readCgroupHostInfo(root).cpus, '0-3');
    assert.equal(readCgroupHostInfo(root).swapLimit, true);
  });
});

test('v1 on the real kernel: the order the kernel demands, and its refusals as InvalidArgument', { skip: process.getuid?.() !== 0 }, async () => {
  const root = '/sys/fs/cgroup';
  const dir = join(root, 'memory', 'berth', 'cgw-test');
  try { await mkdir(dir, { recursive: true }); } catch { return; }
  try {
    const cg = new CgroupV1(root);
    await cg.update('cgw-test', { memory: { limit: 64 << 20, swap: 128 << 20 } });
    // Raising memory above the current memsw only works with memsw written first.
    await cg.update('cgw-test', { memory: { limit: 256 << 20, swap: 512 << 20 } });
    assert.equal(await cg.memoryLimit('cgw-test'), 256 << 20);
    await cg.update('cgw-test', { memory: { limit: 16 << 20, swap: 16 << 20 } });
    assert.equal(await cg.memoryLimit('cgw-test'), 16 << 20);
    await assert.rejects(cg.update('cgw-test', { memory: { swap: 8 << 20 } }), (e) => isInvalidArgument(e)
      && (e as Error).message === `failed to write "8388608" to "${dir}/memory.memsw.limit_in_bytes": write ${dir}/memory.memsw.limit_in_bytes: invalid argument`);
  } finally {
    execFileSync('rmdir', [dir]);
  }
});

test('v2: memory.swap.max holds swap alone, cpu.max quota and period, shares as weight, -1 as max', async () => {
  await withTree(V2, async (root) => {
    const cg = new CgroupV2(root);
    await cg.update(ID, { memory: { limit: 100, swap: 300, reservation: 50 }, cpu: { shares: 512, quota: 50000, period: 100000, cpus: '0-1' }, pids: { limit: 20 }, blockIO: { weight: 300 } });
    assert.equal(await read(root, 'berth/c1/memory.max'), '100');
    assert.equal(await read(root, 'berth/c1/memory.swap.max'), '200');
    assert.equal(await read(root, 'berth/c1/memory.low'), '50');
    assert.equal(await read(root, 'berth/c1/cpu.max'), '50000 100000');
    assert.equal(await read(root, 'berth/c1/cpu.weight'), String(sharesToWeight(512)));
    assert.equal(await read(root, 'berth/c1/cpuset.cpus'), '0-1');
    assert.equal(await read(root, 'berth/c1/pids.max'), '20');
    assert.equal(await read(root, 'berth/c1/io.weight'), '300');
    await cg.update(ID, { memory: { limit: -1, swap: -1 }, cpu: { quota: -1 } });
    assert.equal(await read(root, 'berth/c1/memory.max'), 'max');
    assert.equal(await read(root, 'berth/c1/memory.swap.max'), 'max');
    assert.equal(await read(root, 'berth/c1/cpu.max'), 'max 100000');
    assert.equal(await cg.memoryLimit(ID), -1);
    assert.deepEqual([sharesToWeight(2), sharesToWeight(1024), sharesToWeight(262144)], [1, 39, 10000]);
    assert.deepEqual(readCgroupHostInfo(root), { numCpus: readCgroupHostInfo(root).numCpus, cpus: '0-7', mems: '0', swapLimit: true, blkioWeight: true, oomKillDisable: false, swappiness: false });
  });
});

test('a real cgroup2 mount is detected as v2', { skip: process.getuid?.() !== 0 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-cg2mnt-'));
  try {
    try { execFileSync('mount', ['-t', 'cgroup2', 'none', dir], { stdio: 'ignore' }); } catch { return; }
    try {
      assert.equal(openContainerCgroups(dir).version, 2);
      await mkdir(join(dir, 'berth-cgw-test'));
      assert.equal(await new CgroupV2(dir, 'berth-cgw-test').oomKilled('').catch((e) => isNotFound(e) ? 'no memory controller' : e), 'no memory controller');
      execFileSync('rmdir', [join(dir, 'berth-cgw-test')]);
    } finally {
      execFileSync('umount', [dir]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
