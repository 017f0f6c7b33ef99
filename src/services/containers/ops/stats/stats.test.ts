import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isNotFound } from '../../../../errdefs';
import { CgroupV1StatsReader, parseBlkio } from './cgroup-v1';
import { parseNetDev, parseSystemCpu } from './host-stats';

test('/proc/stat cpu line is summed (user..softirq) in nanoseconds', () => {
  assert.equal(parseSystemCpu('cpu  100 0 50 1000 10 0 5 7 0 0\ncpu0 1 2 3\n'), 1165 * 1e7);
});

test('/proc/<pid>/net/dev gives every device but lo', () => {
  const text = 'Inter-|   Receive |  Transmit\n face |bytes packets errs drop fifo frame compressed multicast|bytes packets errs drop fifo colls carrier compressed\n' +
    '    lo:     10       1    0    0    0     0          0         0       10       1    0    0    0     0       0          0\n' +
    '  eth0:   1160      14    0    1    0     0          0         0      266       3    0    2    0     0       0          0\n';
  assert.deepEqual(parseNetDev(text), { eth0: { rx_bytes: 1160, rx_packets: 14, rx_errors: 0, rx_dropped: 1, tx_bytes: 266, tx_packets: 3, tx_errors: 0, tx_dropped: 2 } });
});

test('the v1 reader reads cpuacct, memory, pids and blkio files; a missing cgroup is NotFound', async () => {
  const root = await mkdtemp(join(tmpdir(), 'berth-cg-'));
  try {
    const put = async (ctl: string, file: string, text: string) => {
      await mkdir(join(root, ctl, 'berth', 'c1'), { recursive: true });
      await writeFile(join(root, ctl, 'berth', 'c1', file), text);
    };
    await put('cpuacct', 'cpuacct.usage', '5000\n');
    await put('cpuacct', 'cpuacct.usage_percpu', '3000 2000 \n');
    await put('cpuacct', 'cpuacct.stat', 'user 3\nsystem 1\n');
    await put('memory', 'memory.usage_in_bytes', '8192\n');
    await put('memory', 'memory.limit_in_bytes', '9223372036854771712\n');
    await put('memory', 'memory.stat', 'cache 0\ntotal_inactive_file 4096\n');
    await put('pids', 'pids.current', '2\n');
    await put('pids', 'pids.max', 'max\n');
    await put('blkio', 'blkio.throttle.io_service_bytes', '8:0 Read 4096\n8:0 Write 0\nTotal 4096\n');
    const s = await new CgroupV1StatsReader(root).read('c1');
    assert.deepEqual(s.cpu.cpu_usage, { total_usage: 5000, percpu_usage: [3000, 2000], usage_in_kernelmode: 1e7, usage_in_usermode: 3e7 });
    assert.equal(s.memory.usage, 8192);
    assert.equal(s.memory.stats?.total_inactive_file, 4096);
    assert.deepEqual(s.pids, { current: 2, limit: undefined });
    assert.deepEqual(s.blkio.io_service_bytes_recursive, [{ major: 8, minor: 0, op: 'Read', value: 4096 }, { major: 8, minor: 0, op: 'Write', value: 0 }]);
    await assert.rejects(new CgroupV1StatsReader(root).read('gone'), (e) => isNotFound(e));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  assert.equal(parseBlkio('').length, 0);
});
