/**
 * Resources through the container service over fakes: the create-time checks and normalisation,
 * the spec runc receives, a live update written to the cgroup (and not recorded when the kernel
 * refuses it), and OOMKilled read from the cgroup at exit.
 */
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgument, isInvalidArgument } from '../../errdefs';
import { makeHarness, type Harness } from './testing/fakes';
import { updateContainer } from './ops';
import type { ContainerCgroups } from './resources';

const MiB = 1024 * 1024;
let h: Harness;
let calls: { id: string; res: unknown }[];
let oom: Set<string>;
let refuse: boolean;

beforeEach(async () => {
  h = await makeHarness();
  calls = [];
  oom = new Set();
  refuse = false;
  const cgroups: ContainerCgroups = {
    host: { numCpus: 2, cpus: '0-1', mems: '0', swapLimit: true, blkioWeight: false, oomKillDisable: true, swappiness: true },
    update: async (id, res) => {
      if (refuse) throw new InvalidArgument('unable to set memory limit to 1 (current usage: 2, peak usage: 3)');
      calls.push({ id, res });
    },
    oomKilled: async (id) => oom.has(id),
  };
  h.ctx.cgroups = cgroups;
});
afterEach(() => h.cleanup());

const spec = async (id: string) => JSON.parse(await readFile(join(h.ctx.paths.execRoot, 'containers', id, 'config.json'), 'utf8'));

test('create checks against the host and records Docker\'s values; start hands them to the runtime', async () => {
  await assert.rejects(h.service.create({ body: { Image: 'busybox', HostConfig: { CpusetCpus: '3' } } }),
    (e) => isInvalidArgument(e) && (e as Error).message === 'Requested CPUs are not available - requested 3, available: 0-1');
  assert.equal(h.service.list().length, 0);
  const rec = await h.service.create({ body: { Image: 'busybox', HostConfig: { Memory: 64 * MiB, NanoCpus: 5e8, PidsLimit: 9, OomScoreAdj: 50, Ulimits: [{ Name: 'nofile', Soft: 10, Hard: 20 }] } } });
  assert.equal(rec.hostConfig.MemorySwap, 128 * MiB);
  assert.equal(rec.hostConfig.CpuShares, 0);
  await h.service.start(rec.id);
  const s = await spec(rec.id);
  assert.deepEqual(s.linux.resources.memory, { limit: 64 * MiB, swap: 128 * MiB });
  assert.deepEqual(s.linux.resources.cpu, { period: 100000, quota: 50000 });
  assert.deepEqual(s.linux.resources.pids, { limit: 9 });
  assert.ok(Array.isArray(s.linux.resources.devices));
  assert.equal(s.process.oomScoreAdj, 50);
  assert.deepEqual(s.process.rlimits, [{ type: 'RLIMIT_NOFILE', hard: 20, soft: 10 }]);
});

test('update writes a running container\'s cgroup; a refusal leaves the record as it was', async () => {
  const rec = await h.service.create({ body: { Image: 'busybox', HostConfig: { Memory: 64 * MiB } } });
  await updateContainer(h.service, rec.id, { Memory: 32 * MiB });
  assert.deepEqual(calls, [], 'a stopped container has no cgroup to write');
  assert.equal(h.service.inspect(rec.id).hostConfig.Memory, 32 * MiB);
  await h.service.start(rec.id);
  await updateContainer(h.service, rec.id, { Memory: 96 * MiB, CpuShares: 512 });
  assert.deepEqual(calls, [{ id: rec.id, res: { memory: { limit: 96 * MiB, swap: 128 * MiB }, cpu: { shares: 512 } } }]);
  refuse = true;
  await assert.rejects(updateContainer(h.service, rec.id, { Memory: 8 * MiB }),
    (e) => isInvalidArgument(e) && (e as Error).message === `Cannot update container ${rec.id}: unable to set memory limit to 1 (current usage: 2, peak usage: 3)`);
  assert.equal(h.service.inspect(rec.id).hostConfig.Memory, 96 * MiB);
});

test('an exit after an OOM kill records OOMKilled; a plain exit does not', async () => {
  const a = await h.service.create({ body: { Image: 'busybox', HostConfig: { Memory: 8 * MiB } } });
  const b = await h.service.create({ body: { Image: 'busybox' } });
  await h.service.start(a.id);
  await h.service.start(b.id);
  oom.add(a.id);
  const [ea, eb] = [h.service.wait(a.id, 'not-running'), h.service.wait(b.id, 'not-running')];
  await h.exit(a.id, 137);
  await h.exit(b.id, 0);
  assert.deepEqual([await ea, await eb], [137, 0]);
  assert.equal(h.service.inspect(a.id).state.oomKilled, true);
  assert.equal(h.service.inspect(b.id).state.oomKilled, false);
});
