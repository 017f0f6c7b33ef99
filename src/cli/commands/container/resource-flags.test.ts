import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nanoCpus, parseThrottle, parseUlimit, resourceHostConfig } from './resource-flags';

test("resource flags as docker's CLI sends them", () => {
  const hc = resourceHostConfig({ memory: String(64 << 20), cpus: '1.5', pidsLimit: 10, ulimit: ['nofile=10:20', 'nproc=5'], deviceReadBps: ['/dev/sda:1mb'], deviceWriteIops: ['/dev/sda:100'] });
  assert.equal(hc.Memory, 64 << 20);
  assert.equal(hc.NanoCpus, 1.5e9);
  assert.equal(hc.PidsLimit, 10);
  assert.equal('MemorySwappiness' in hc, false);
  assert.deepEqual(hc.Ulimits, [{ Name: 'nofile', Hard: 20, Soft: 10 }, { Name: 'nproc', Hard: 5, Soft: 5 }]);
  assert.deepEqual(hc.BlkioDeviceReadBps, [{ Path: '/dev/sda', Rate: 1048576 }]);
  assert.deepEqual(hc.BlkioDeviceWriteIOps, [{ Path: '/dev/sda', Rate: 100 }]);
  assert.deepEqual(hc.BlkioDeviceReadIOps, []);
});

test("bad flag values: docker's CLI words", () => {
  assert.throws(() => nanoCpus('abc'), /invalid argument "abc" for "--cpus" flag: failed to parse abc as a rational number/);
  assert.throws(() => parseUlimit('nofile=10:5'), /ulimit soft limit must be less than or equal to hard limit: 10 > 5/);
  assert.throws(() => parseUlimit('foo=1'), /invalid ulimit type: foo/);
  assert.throws(() => parseThrottle('--device-read-bps', 'sda:1mb', false), /bad format for device path: sda:1mb/);
  assert.throws(() => parseThrottle('--device-read-iops', '/dev/sda:1mb', true), /invalid rate for device: \/dev\/sda:1mb/);
  assert.throws(() => resourceHostConfig({ memorySwappiness: 101 }), /invalid value: 101\. Valid memory swappiness range is 0-100/);
});
