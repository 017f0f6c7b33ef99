import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isNotFound } from '../../../../errdefs';
import { withFileTree } from '../../../../lib/file-tree';
import type { ContainerRecord } from '../../types';
import { CgroupV1StatsReader } from './cgroup-v1';
import { CgroupV2StatsReader, parseIoStat } from './cgroup-v2';
import { sampleStats } from './collect-stats';
import type { HostStats } from './host-stats';
import { detectCgroupLayout, selectCgroupReader } from './select-reader';

const withTree = (files: Record<string, string>, body: (root: string) => Promise<void>) => withFileTree(files, body, 'berth-cg2-');

const v2Tree = (memMax: string): Record<string, string> => ({
  'cgroup.controllers': 'cpuset cpu io memory pids\n',
  'berth/c1/cpu.stat': 'usage_usec 5000\nuser_usec 3000\nsystem_usec 2000\nnr_periods 10\nnr_throttled 4\nthrottled_usec 700\n',
  'berth/c1/memory.current': '1048576\n',
  'berth/c1/memory.max': memMax,
  'berth/c1/memory.stat': 'anon 524288\nfile 262144\ninactive_file 131072\nactive_file 4096\n',
  'berth/c1/memory.events': 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n',
  'berth/c1/pids.current': '3\n',
  'berth/c1/pids.max': 'max\n',
  'berth/c1/io.stat': '8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n253:1 rbytes=512 wbytes=0 rios=1 wios=0\n',
});

const host: HostStats = {
  systemCpuNs: async () => 1e12,
  onlineCpus: () => 4,
  memTotal: async () => 8 * 2 ** 30,
  networks: async () => ({}),
};

const rec = { id: 'c1', name: 'web', state: { status: 'running', pid: 1 } } as unknown as ContainerRecord;

test('io.stat lines become read/write byte entries per device, as Docker fills them on v2', () => {
  assert.deepEqual(parseIoStat('8:0 rbytes=4096 wbytes=8192 rios=1\n\n'), [
    { major: 8, minor: 0, op: 'read', value: 4096 }, { major: 8, minor: 0, op: 'write', value: 8192 },
  ]);
  assert.deepEqual(parseIoStat(''), []);
});

test('the v2 reader turns a unified cgroup into Docker\'s v2 stats JSON', async () => {
  await withTree(v2Tree('max\n'), async (root) => {
    const s = await sampleStats(rec, { cgroups: new CgroupV2StatsReader(root), host });
    assert.ok(s);
    assert.deepEqual(s.cpu_stats, {
      cpu_usage: { total_usage: 5_000_000, usage_in_kernelmode: 2_000_000, usage_in_usermode: 3_000_000 },
      throttling_data: { periods: 10, throttled_periods: 4, throttled_time: 700_000 },
      system_cpu_usage: 1e12, online_cpus: 4,
    });
    assert.equal('percpu_usage' in s.cpu_stats.cpu_usage!, false);
    // 'max' = unlimited: the host's memory; stats keep their v2 names; no max_usage on v2.
    assert.deepEqual(s.memory_stats, {
      usage: 1048576, limit: 8 * 2 ** 30, failcnt: 1,
      stats: { anon: 524288, file: 262144, inactive_file: 131072, active_file: 4096 },
    });
    assert.equal(JSON.parse(JSON.stringify(s)).memory_stats.max_usage, undefined);
    assert.deepEqual(s.pids_stats, { current: 3, limit: undefined });
    assert.deepEqual(s.blkio_stats.io_service_bytes_recursive, [
      { major: 8, minor: 0, op: 'read', value: 4096 }, { major: 8, minor: 0, op: 'write', value: 8192 },
      { major: 253, minor: 1, op: 'read', value: 512 }, { major: 253, minor: 1, op: 'write', value: 0 },
    ]);
    assert.equal(s.blkio_stats.io_serviced_recursive, null);
  });
});

test('the v2 reader reports a set memory.max and pids.max; a missing cgroup is NotFound', async () => {
  await withTree({ ...v2Tree('268435456\n'), 'berth/c1/pids.max': '64\n' }, async (root) => {
    const s = await sampleStats(rec, { cgroups: new CgroupV2StatsReader(root), host });
    assert.equal(s?.memory_stats.limit, 268435456);
    assert.deepEqual(s?.pids_stats, { current: 3, limit: 64 });
    await assert.rejects(new CgroupV2StatsReader(root).read('gone'), (e) => isNotFound(e));
    assert.equal(await sampleStats({ ...rec, id: 'gone' }, { cgroups: new CgroupV2StatsReader(root), host }), undefined);
  });
});

test('the reader is v2 for a pure unified root and v1 otherwise (v1 or hybrid)', async () => {
  await withTree({ 'cgroup.controllers': 'cpu memory pids\n' }, async (root) => {
    assert.equal(detectCgroupLayout(root), 'v2');
    assert.ok(selectCgroupReader(root) instanceof CgroupV2StatsReader);
  });
  // Hybrid: the v2 mount is a subdirectory; the root itself has no cgroup.controllers.
  await withTree({ 'unified/cgroup.controllers': '', 'memory/memory.stat': '' }, async (root) => {
    assert.equal(detectCgroupLayout(root), 'v1');
    assert.ok(selectCgroupReader(root) instanceof CgroupV1StatsReader);
  });
  assert.ok(selectCgroupReader('/sys/fs/cgroup', (p) => p === '/sys/fs/cgroup/cgroup.controllers') instanceof CgroupV2StatsReader);
  assert.ok(selectCgroupReader('/sys/fs/cgroup', () => false) instanceof CgroupV1StatsReader);
});
