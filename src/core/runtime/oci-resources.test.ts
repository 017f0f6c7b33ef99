import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ociResources, withResources, withUlimits } from './oci-resources';

const dev = (p: string) => (p === '/dev/sda' ? { major: 8, minor: 0 } : (() => { throw new Error(`no ${p}`); })());

test('HostConfig to linux.resources as moby maps it: --cpus as quota over a 100ms period, zeros left out', () => {
  assert.deepEqual(ociResources({ Memory: 0, CpuShares: 0, PidsLimit: null, MemorySwappiness: null }, dev), {});
  assert.deepEqual(ociResources({
    Memory: 64, MemorySwap: -1, MemoryReservation: 32, MemorySwappiness: 0, OomKillDisable: true,
    NanoCpus: 1.5e9, CpuPeriod: 0, CpuShares: 512, CpusetCpus: '0', PidsLimit: 50, BlkioWeight: 300,
    BlkioDeviceReadBps: [{ Path: '/dev/sda', Rate: 1024 }], BlkioDeviceWriteIOps: [{ Path: '/dev/sda', Rate: 10 }],
  }, dev), {
    memory: { limit: 64, reservation: 32, swap: -1, swappiness: 0, disableOOMKiller: true },
    cpu: { shares: 512, period: 100000, quota: 150000, cpus: '0' },
    pids: { limit: 50 },
    blockIO: { weight: 300, throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1024 }], throttleWriteIOPSDevice: [{ major: 8, minor: 0, rate: 10 }] },
  });
  assert.deepEqual(ociResources({ CpuPeriod: 50000, CpuQuota: 25000 }, dev), { cpu: { period: 50000, quota: 25000 } });
  assert.throws(() => ociResources({ BlkioDeviceReadBps: [{ Path: '/dev/nope', Rate: 1 }] }, dev), /no \/dev\/nope/);
});

test('ulimits over the defaults; resources merged beside the device rules', () => {
  const rl = withUlimits([{ type: 'RLIMIT_NOFILE', hard: 1048576, soft: 1048576 }, { type: 'RLIMIT_NPROC', hard: 9, soft: 9 }], [{ Name: 'nofile', Soft: 100, Hard: 200 }]);
  assert.deepEqual(rl, [{ type: 'RLIMIT_NOFILE', hard: 200, soft: 100 }, { type: 'RLIMIT_NPROC', hard: 9, soft: 9 }]);
  const spec = withResources({ process: { args: ['sh'] }, linux: { resources: { devices: [{ allow: false, access: 'rwm' }] } } }, { pids: { limit: 5 } }, { rlimits: rl, oomScoreAdj: 100 });
  assert.deepEqual(spec, {
    process: { args: ['sh'], rlimits: rl, oomScoreAdj: 100 },
    linux: { resources: { devices: [{ allow: false, access: 'rwm' }], pids: { limit: 5 } } },
  });
});
