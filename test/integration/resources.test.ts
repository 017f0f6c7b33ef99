/**
 * cgroup limits as Docker gives them, read from inside the container and from the host's cgroup
 * files (v1 controllers here: /sys/fs/cgroup/<controller>/berth/<id>): memory and swap, CPU
 * quota, shares (measured), cpusets, pids, ulimits, /dev/shm, the OOM killer, live updates,
 * and every bad input refused with Docker's words before anything is created.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { TestDaemon } from '../harness';

const d = new TestDaemon('res');
before(() => d.start());
after(() => d.stop());

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inspect = async (ref: string) => (await d.api('GET', `/containers/${ref}/json`)).json;
const host = (controller: string, id: string, file: string) => readFileSync(`/sys/fs/cgroup/${controller}/berth/${id}/${file}`, 'utf8').trim();

async function runDetached(args: string[]): Promise<string> {
  const r = await d.cli(['run', '-d', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

async function execOut(id: string, script: string): Promise<string> {
  const r = await d.cli(['exec', id, 'sh', '-c', script]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

/** The host's virtio disk as `major:minor`, for the block I/O throttles (absent: those checks are skipped). */
const vda = (() => { try { const r = statSync('/dev/vda').rdev; return `${(r >> 8) & 0xfff}:${r & 0xff}`; } catch { return undefined; } })();

test('memory, CPU, cpuset, pids, ulimit, shm, block I/O and OOM score: inside the container, on the host, in inspect', async () => {
  const id = await runDetached([
    '-m', '64m', '--memory-swap', '128m', '--memory-reservation', '32m', '--memory-swappiness', '10',
    '--cpus', '0.5', '--cpu-shares', '512', '--cpuset-cpus', '0', '--cpuset-mems', '0', '--pids-limit', '50',
    '--oom-score-adj', '100', '--ulimit', 'nofile=100:200', '--shm-size', '16m', '--oom-kill-disable',
    ...(vda ? ['--device-read-bps', '/dev/vda:1mb', '--device-write-iops', '/dev/vda:100'] : []),
    'busybox', 'sleep', '60',
  ]);
  const inside = await execOut(id, [
    'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes',
    'cat /sys/fs/cgroup/memory/memory.soft_limit_in_bytes /sys/fs/cgroup/memory/memory.swappiness',
    'cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu/cpu.shares',
    'cat /sys/fs/cgroup/cpuset/cpuset.cpus /sys/fs/cgroup/pids/pids.max /proc/1/oom_score_adj',
    'ulimit -n; ulimit -Hn', "df -k /dev/shm | awk 'NR==2 {print $2}'",
    'grep oom_kill_disable /sys/fs/cgroup/memory/memory.oom_control',
  ].join('; '));
  assert.deepEqual(inside.split('\n'), [
    String(64 * MiB), String(128 * MiB), String(32 * MiB), '10', '50000', '100000', '512', '0', '50', '100', '100', '200', '16384', 'oom_kill_disable 1',
  ]);
  assert.equal(host('memory', id, 'memory.limit_in_bytes'), String(64 * MiB));
  assert.equal(host('memory', id, 'memory.memsw.limit_in_bytes'), String(128 * MiB));
  assert.equal(host('cpu', id, 'cpu.cfs_quota_us'), '50000');
  assert.equal(host('cpu', id, 'cpu.shares'), '512');
  assert.equal(host('cpuset', id, 'cpuset.cpus'), '0');
  assert.equal(host('pids', id, 'pids.max'), '50');
  if (vda) {
    assert.equal(host('blkio', id, 'blkio.throttle.read_bps_device'), `${vda} 1048576`);
    assert.equal(host('blkio', id, 'blkio.throttle.write_iops_device'), `${vda} 100`);
    assert.equal(await execOut(id, 'cat /sys/fs/cgroup/blkio/blkio.throttle.read_bps_device'), `${vda} 1048576`);
  }

  const hc = (await inspect(id)).HostConfig;
  assert.deepEqual(
    { Memory: hc.Memory, MemorySwap: hc.MemorySwap, MemoryReservation: hc.MemoryReservation, MemorySwappiness: hc.MemorySwappiness, NanoCpus: hc.NanoCpus, CpuShares: hc.CpuShares, CpusetCpus: hc.CpusetCpus, PidsLimit: hc.PidsLimit, OomScoreAdj: hc.OomScoreAdj, OomKillDisable: hc.OomKillDisable, ShmSize: hc.ShmSize, Ulimits: hc.Ulimits, CpuPeriod: hc.CpuPeriod },
    { Memory: 64 * MiB, MemorySwap: 128 * MiB, MemoryReservation: 32 * MiB, MemorySwappiness: 10, NanoCpus: 5e8, CpuShares: 512, CpusetCpus: '0', PidsLimit: 50, OomScoreAdj: 100, OomKillDisable: true, ShmSize: 16 * MiB, Ulimits: [{ Name: 'nofile', Hard: 200, Soft: 100 }], CpuPeriod: 0 },
  );
  await d.cli(['rm', '-f', id]);

  // As Docker: -m alone gets twice as much with swap; --memory-swap -1 is unlimited; defaults are Docker's zeros.
  const created = await d.cli(['create', '-m', '64m', 'busybox']);
  const c = (await inspect(created.stdout.trim())).HostConfig;
  assert.equal(c.MemorySwap, 128 * MiB);
  assert.equal(c.PidsLimit, null);
  assert.equal(c.MemorySwappiness, null);
  assert.equal(c.CpuShares, 0);
  assert.equal(c.BlkioWeight, 0);
  assert.deepEqual(c.BlkioDeviceReadBps, []);
  await d.cli(['rm', created.stdout.trim()]);
  const unlimited = await runDetached(['-m', '32m', '--memory-swap', '-1', 'busybox', 'sleep', '60']);
  assert.equal((await inspect(unlimited)).HostConfig.MemorySwap, -1);
  assert.ok(Number(host('memory', unlimited, 'memory.memsw.limit_in_bytes')) > 2 ** 62);
  await d.cli(['rm', '-f', unlimited]);
});

test('a container over its memory limit is OOM-killed: exit 137, State.OOMKilled; the daemon is protected', async () => {
  const r = await d.cli(['run', '--name', 'oomer', '-m', '8m', '--memory-swap', '8m', 'busybox', 'sh', '-c', 'tail /dev/zero']);
  assert.equal(r.code, 137, r.stderr);
  const s = (await inspect('oomer')).State;
  assert.equal(s.OOMKilled, true);
  assert.equal(s.ExitCode, 137);
  await d.cli(['rm', 'oomer']);
  const fine = await d.cli(['run', '--name', 'fine', '-m', '8m', 'busybox', 'true']);
  assert.equal(fine.code, 0, fine.stderr);
  assert.equal((await inspect('fine')).State.OOMKilled, false);
  await d.cli(['rm', 'fine']);
  // berthd lowers its own score as dockerd does; lowering it takes CAP_SYS_RESOURCE, which a
  // sandboxed host may withhold (then the daemon says so and keeps the kernel's default).
  const capEff = BigInt(`0x${/^CapEff:\s*(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]}`);
  const sysResource = ((capEff >> 24n) & 1n) === 1n;
  const score = readFileSync(`/proc/${d.proc!.pid}/oom_score_adj`, 'utf8').trim();
  if (sysResource) assert.equal(score, '-500');
  else assert.match(d.log, /cannot set the daemon's oom_score_adj/);
});

test('CPU shares 1024 vs 512 on one CPU: measured usage about 2:1', async () => {
  const busy = ['busybox', 'sh', '-c', 'while :; do :; done'];
  const a = await runDetached(['--cpuset-cpus', '0', '--cpu-shares', '1024', ...busy]);
  const b = await runDetached(['--cpuset-cpus', '0', '--cpu-shares', '512', ...busy]);
  const usage = (id: string) => Number(host('cpuacct', id, 'cpuacct.usage'));
  await sleep(500);
  const [a0, b0] = [usage(a), usage(b)];
  await sleep(3000);
  const ratio = (usage(a) - a0) / (usage(b) - b0);
  await d.cli(['rm', '-f', a, b]);
  assert.ok(ratio > 1.6 && ratio < 2.5, `ratio ${ratio}`);
});

test('--pids-limit bounds a fork bomb', async () => {
  const r = await d.cli(['run', '--rm', '--pids-limit', '20', 'busybox', 'sh', '-c',
    // The bomb forks in a subshell (a failed fork ends a shell); then only builtins, as nothing more can fork.
    '(i=0; while [ $i -lt 60 ]; do sleep 5 & i=$((i+1)); done) 2>/dev/null; read c < /sys/fs/cgroup/pids/pids.current; read m < /sys/fs/cgroup/pids/pids.max; echo $c; echo $m; kill -9 -1; true']);
  assert.equal(r.code, 0, r.stderr);
  const [current, max] = r.stdout.trim().split('\n');
  assert.equal(max, '20', JSON.stringify(r));
  assert.ok(Number(current) <= 20 && Number(current) >= 10, r.stdout);
});

test('update changes a running container\'s limits, with Docker\'s rules; stats report the new limit', async () => {
  const id = await runDetached(['-m', '64m', 'busybox', 'sleep', '60']);
  const up = await d.cli(['update', '-m', '96m', '--pids-limit', '30', '--cpu-shares', '256', id]);
  assert.equal(up.code, 0, up.stderr);
  assert.equal(host('memory', id, 'memory.limit_in_bytes'), String(96 * MiB));
  assert.equal(host('memory', id, 'memory.memsw.limit_in_bytes'), String(128 * MiB));
  assert.equal(host('pids', id, 'pids.max'), '30');
  assert.equal(host('cpu', id, 'cpu.shares'), '256');
  assert.equal(await execOut(id, 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes'), String(96 * MiB));
  const hc = (await inspect(id)).HostConfig;
  assert.equal(hc.Memory, 96 * MiB);
  assert.equal(hc.PidsLimit, 30);
  const stats = await d.api('GET', `/containers/${id}/stats?stream=false`);
  assert.equal(stats.json.memory_stats.limit, 96 * MiB);

  const over = await d.cli(['update', '-m', '200m', id]);
  assert.notEqual(over.code, 0);
  assert.match(over.stderr, new RegExp(`Cannot update container ${id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time`));
  assert.equal(host('memory', id, 'memory.limit_in_bytes'), String(96 * MiB));
  assert.equal((await d.api('POST', `/containers/${id}/update`, { Memory: 200 * MiB })).status, 409);
  assert.equal((await d.api('POST', `/containers/${id}/update`, { Memory: 1000 })).status, 400);
  // Raising both: memsw is written first, as the kernel requires.
  const both = await d.cli(['update', '-m', '200m', '--memory-swap', '300m', id]);
  assert.equal(both.code, 0, both.stderr);
  assert.equal(host('memory', id, 'memory.limit_in_bytes'), String(200 * MiB));
  assert.equal(host('memory', id, 'memory.memsw.limit_in_bytes'), String(300 * MiB));
  const lower = await d.cli(['update', '-m', '16m', '--memory-swap', '16m', id]);
  assert.equal(lower.code, 0, lower.stderr);
  assert.equal(host('memory', id, 'memory.limit_in_bytes'), String(16 * MiB));
  const cpus = await d.cli(['update', '--cpus', '9', id]);
  assert.match(cpus.stderr, /Range of CPUs is from 0\.01 to \d+\.00, as there are only \d+ CPUs available/);
  const tiny = await d.cli(['update', '-m', '1m', id]);
  assert.match(tiny.stderr, /Minimum memory limit allowed is 6MB/);
  const kmem = await d.cli(['update', '--kernel-memory', '50m', id]);
  assert.equal(kmem.code, 0, kmem.stderr);
  assert.equal(kmem.stderr, 'Specifying a kernel memory limit is deprecated and will be removed in a future release.\n');
  assert.equal((await inspect(id)).HostConfig.KernelMemory, 50 * MiB);
  await d.cli(['rm', '-f', id]);

  // Below what the kernel can reclaim (tmpfs pages with no swap allowed): refused in runc's words, limits kept.
  const full = await runDetached(['-m', '64m', '--memory-swap', '64m', 'busybox', 'sh', '-c', 'head -c 30m /dev/zero > /dev/shm/x; touch /tmp/ready; sleep 60']);
  for (let i = 0; i < 50 && (await d.cli(['exec', full, 'test', '-e', '/tmp/ready'])).code !== 0; i++) await sleep(100);
  const busy = await d.cli(['update', '-m', '10m', '--memory-swap', '10m', full]);
  assert.notEqual(busy.code, 0);
  assert.match(busy.stderr, new RegExp(`Cannot update container ${full}: unable to set memory limit to 10485760 \\(current usage: \\d+, peak usage: \\d+\\)`));
  assert.equal((await inspect(full)).HostConfig.Memory, 64 * MiB);
  assert.equal(host('memory', full, 'memory.limit_in_bytes'), String(64 * MiB));
  await d.cli(['rm', '-f', full]);
});

test('bad limits are refused with Docker\'s words and no container is created', async () => {
  const ncpu = (await d.api('GET', '/info')).json.NCPU as number;
  const cases: [string[], string][] = [
    [['-m', '4m'], 'Minimum memory limit allowed is 6MB'],
    [['-m', '64m', '--memory-reservation', '128m'], 'Minimum memory limit can not be less than memory reservation limit, see usage'],
    [['-m', '64m', '--memory-swap', '32m'], 'Minimum memoryswap limit should be larger than memory limit, see usage'],
    [['--memory-swap', '128m'], 'You should always set the Memory limit when using Memoryswap limit, see usage'],
    [['--memory-reservation', '1m'], 'Minimum memory reservation allowed is 6MB'],
    [['--kernel-memory', '4m'], 'Minimum kernel memory limit allowed is 6MB'],
    [['--cpus', String(ncpu + 1)], `Range of CPUs is from 0.01 to ${ncpu}.00, as there are only ${ncpu} CPUs available`],
    [['--cpuset-cpus', '0-99'], `Requested CPUs are not available - requested 0-99, available: 0-${ncpu - 1}`],
    [['--cpuset-cpus', 'abc'], 'Invalid value abc for cpuset cpus: invalid format: abc'],
    [['--cpuset-mems', '1'], 'Requested memory nodes are not available - requested 1, available: 0'],
    [['--cpus', '1', '--cpu-period', '50000'], 'Conflicting options: Nano CPUs and CPU Period cannot both be set'],
    [['--cpus', '1', '--cpu-quota', '50000'], 'Conflicting options: Nano CPUs and CPU Quota cannot both be set'],
    [['--cpu-period', '500'], 'CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)'],
    [['--cpu-quota', '500'], 'CPU cfs quota can not be less than 1ms (i.e. 1000)'],
    [['--oom-score-adj', '1001'], 'Invalid value 1001, range for oom score adj is [-1000, 1000]'],
    [['--memory-swappiness', '101'], 'invalid value: 101. Valid memory swappiness range is 0-100'],
    [['--ulimit', 'nofile=10:5'], 'invalid argument "nofile=10:5" for "--ulimit" flag: ulimit soft limit must be less than or equal to hard limit: 10 > 5'],
    [['--ulimit', 'foo=1'], 'invalid argument "foo=1" for "--ulimit" flag: invalid ulimit type: foo'],
  ];
  const before = (await d.api('GET', '/containers/json?all=1')).json.length;
  for (const [flags, message] of cases) {
    const r = await d.cli(['create', ...flags, 'busybox']);
    assert.notEqual(r.code, 0, flags.join(' '));
    assert.ok(r.stderr.includes(message), `${flags.join(' ')}: ${r.stderr}`);
  }
  const api = await d.api('POST', '/containers/create', { Image: 'busybox', HostConfig: { MemorySwappiness: 101 } });
  assert.equal(api.status, 400);
  assert.equal(api.json.message, 'Invalid value: 101, valid memory swappiness range is 0-100');
  assert.equal((await d.api('GET', '/containers/json?all=1')).json.length, before);

  // Accepted with Docker's warnings.
  const warned = await d.api('POST', '/containers/create', { Image: 'busybox', HostConfig: { KernelMemory: 64 * MiB, OomKillDisable: true } });
  assert.equal(warned.status, 201);
  assert.deepEqual(warned.json.Warnings, [
    'Specifying a kernel memory limit is deprecated and will be removed in a future release.',
    'OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.',
  ]);
  await d.api('DELETE', `/containers/${warned.json.Id}`);
});
