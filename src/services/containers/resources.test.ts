import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isConflict, isInvalidArgument } from '../../errdefs';
import { checkResources, type CgroupHostInfo, type ResourceFields } from './resources';
import { cgroupUpdateOf, mergeResourceUpdate } from './resources-update';
import { parseCpuset } from './resources-cpuset';

const HOST: CgroupHostInfo = { numCpus: 2, cpus: '0-1', mems: '0', swapLimit: true, blkioWeight: false, oomKillDisable: true, swappiness: true };
const MiB = 1024 * 1024;

test("create: Docker's normalisation — swap defaults to 2x memory, swappiness -1 and pids <= 0 to null", () => {
  const r: ResourceFields = { Memory: 64 * MiB, MemorySwap: 0, MemorySwappiness: -1, PidsLimit: 0 };
  assert.deepEqual(checkResources(r, HOST), []);
  assert.deepEqual(r, { Memory: 64 * MiB, MemorySwap: 128 * MiB, MemorySwappiness: null, PidsLimit: null });
  const noSwap: ResourceFields = { Memory: 64 * MiB, MemorySwap: 128 * MiB };
  assert.deepEqual(checkResources(noSwap, { ...HOST, swapLimit: false }), ['Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.']);
  assert.equal(noSwap.MemorySwap, -1);
  const v2: ResourceFields = { MemorySwappiness: 10, OomKillDisable: true, Memory: 64 * MiB };
  assert.deepEqual(checkResources(v2, { ...HOST, swappiness: false, oomKillDisable: false }), [
    'Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. Memory swappiness discarded.',
    'Your kernel does not support OomKillDisable. OomKillDisable discarded.',
  ]);
  assert.equal(v2.MemorySwappiness, null);
  assert.equal(v2.OomKillDisable, false);
  const weight: ResourceFields = { BlkioWeight: 500 };
  assert.deepEqual(checkResources(weight, HOST), ['Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.']);
  assert.equal(weight.BlkioWeight, 0);
  assert.throws(() => checkResources({ BlkioWeight: 5 }, { ...HOST, blkioWeight: true }), /^InvalidArgument|Range of blkio weight is from 10 to 1000/);
});

test("bad values: Docker's words, as InvalidArgument", () => {
  const bad: [ResourceFields, string][] = [
    [{ Memory: 4 * MiB }, 'Minimum memory limit allowed is 6MB'],
    [{ Memory: 64 * MiB, MemorySwap: 32 * MiB }, 'Minimum memoryswap limit should be larger than memory limit, see usage'],
    [{ NanoCpus: 3e9 }, 'Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available'],
    [{ CpusetCpus: '0-99' }, 'Requested CPUs are not available - requested 0-99, available: 0-1'],
    [{ CpusetMems: '0,x' }, 'Invalid value 0,x for cpuset mems: invalid format: 0,x'],
    [{ NanoCpus: 1e9, CpuQuota: 50000 }, 'Conflicting options: Nano CPUs and CPU Quota cannot both be set'],
    [{ OomScoreAdj: -1001 }, 'Invalid value -1001, range for oom score adj is [-1000, 1000]'],
    [{ ShmSize: -1 }, 'SHM size can not be less than 0'],
  ];
  for (const [r, message] of bad) assert.throws(() => checkResources(r, HOST), (e) => isInvalidArgument(e) && (e as Error).message === message);
});

test("update: Docker's merge — memory above the swap set is a conflict; swap given with it is not; pids -1 is 0", () => {
  const current = { Memory: 64 * MiB, MemorySwap: 128 * MiB, PidsLimit: null, CpuPeriod: 0 };
  assert.throws(() => mergeResourceUpdate('abc', current, { Memory: 200 * MiB }), (e) => isConflict(e) && /^Cannot update container abc: Memory limit should be smaller/.test((e as Error).message));
  const ok = mergeResourceUpdate('abc', current, { Memory: 200 * MiB, MemorySwap: 300 * MiB, PidsLimit: -1, NanoCpus: 5e8 });
  assert.equal(ok.merged.Memory, 200 * MiB);
  assert.equal(ok.merged.PidsLimit, 0);
  assert.deepEqual(cgroupUpdateOf(ok.changed, ok.merged), {
    memory: { limit: 200 * MiB, swap: 300 * MiB }, cpu: { period: 100000, quota: 50000 }, pids: { limit: -1 },
  });
  // Memory alone keeps the swap limit in force, so v1 writes them in a valid order.
  const mem = mergeResourceUpdate('abc', current, { Memory: 96 * MiB });
  assert.deepEqual(cgroupUpdateOf(mem.changed, mem.merged), { memory: { limit: 96 * MiB, swap: 128 * MiB } });
});

test('cpuset lists', () => {
  assert.deepEqual([...parseCpuset('0-2,5')], [0, 1, 2, 5]);
  assert.throws(() => parseCpuset('1-'), /invalid format: 1-/);
});
