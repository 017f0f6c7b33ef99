import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesSize, cpuPercent, memoryUsage, statsContext, statsEntry } from './stats';
import { formatPruneReport } from './prune';
import { formatTop } from './top';
import { portLines } from './port';
import { parseRestart } from './update';
import { ramInBytes } from './resource-flags';
import { eventJson, eventTime, formatEvent, toTimestamp } from '../system/events';

test('stats figures are computed as the docker CLI computes them', () => {
  const s = {
    id: 'a'.repeat(64), name: '/web',
    cpu_stats: { cpu_usage: { total_usage: 2e9, percpu_usage: [1, 1] }, system_cpu_usage: 104e9, online_cpus: 2 },
    precpu_stats: { cpu_usage: { total_usage: 1e9 }, system_cpu_usage: 100e9 },
    memory_stats: { usage: 3 * 1024 * 1024, limit: 1024 ** 3, stats: { total_inactive_file: 1024 * 1024 } },
    networks: { eth0: { rx_bytes: 1160, tx_bytes: 266 } },
    blkio_stats: { io_service_bytes_recursive: [{ op: 'Read', value: 4096 }, { op: 'write', value: 1000 }] },
    pids_stats: { current: 3 },
  };
  assert.equal(cpuPercent(s), 50);
  assert.equal(memoryUsage(s.memory_stats), 2 * 1024 * 1024);
  assert.equal(memoryUsage({ usage: 100, stats: { inactive_file: 40 } }), 60);
  assert.deepEqual(statsContext(statsEntry('web', s)), {
    Container: 'web', ID: 'aaaaaaaaaaaa', Name: 'web', CPUPerc: '50.00%', MemPerc: '0.20%', MemUsage: '2MiB / 1GiB',
    NetIO: '1.16kB / 266B', BlockIO: '4.1kB / 1kB', PIDs: '3',
  });
  assert.equal(bytesSize(704 * 1024), '704KiB');
  assert.equal(bytesSize(23.54 * 1024 ** 3), '23.54GiB');
});

test('prune report, top table, port lines and update flags in docker\'s shapes', () => {
  assert.equal(formatPruneReport({ ContainersDeleted: ['x', 'y'], SpaceReclaimed: 0 }), 'Deleted Containers:\nx\ny\n\nTotal reclaimed space: 0B\n');
  assert.equal(formatPruneReport({ ContainersDeleted: null, SpaceReclaimed: 0 }), 'Total reclaimed space: 0B\n');
  assert.equal(formatTop({ Titles: ['PID', 'CMD'], Processes: [['42', 'sleep 100']] }), `PID${' '.repeat(17)}CMD\n42${' '.repeat(18)}sleep 100\n`);
  assert.deepEqual(portLines({ '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }, { HostIp: '::', HostPort: '8080' }], '53/udp': null }),
    ['80/tcp -> 0.0.0.0:8080', '80/tcp -> [::]:8080']);
  assert.deepEqual(parseRestart('on-failure:3'), { Name: 'on-failure', MaximumRetryCount: 3 });
  assert.equal(ramInBytes('-m')('64m'), String(64 * 1024 * 1024));
  assert.throws(() => ramInBytes('-m, --memory')('lots'), /invalid size: 'lots'/);
});

test('events print as docker: fixed nanoseconds, attributes sorted', () => {
  assert.equal(eventTime(1_795_104_000_000_000_000), '2026-11-19T16:00:00.000000000Z');
  assert.equal(formatEvent({ Type: 'container', Action: 'start', Actor: { ID: 'abc', Attributes: { name: 'x', image: 'busybox' } }, time: 1_795_104_000, timeNano: 1_795_104_000_000_000_000 }),
    '2026-11-19T16:00:00.000000000Z container start abc (image=busybox, name=x)');
  assert.deepEqual(Object.keys(eventJson({ Type: 'container', Action: 'die', Actor: { ID: 'abc' }, scope: 'local', time: 1, timeNano: 1e9, status: 'die', id: 'abc', from: 'busybox' })),
    ['status', 'id', 'from', 'Type', 'Action', 'Actor', 'scope', 'time', 'timeNano']);
  assert.equal(toTimestamp('1700000000'), '1700000000');
  assert.equal(toTimestamp('10s', 1_000_000), '990.000000000');
  assert.equal(toTimestamp('2026-11-19T16:00:00Z'), '1795104000.000000000');
});
