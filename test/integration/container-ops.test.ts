import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BERTH, TestDaemon } from '../harness';

const d = new TestDaemon('ops');
before(() => d.start());
after(() => d.stop());

const inspect = async (ref: string) => (await d.api('GET', `/containers/${ref}/json`)).json;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('pause freezes the processes; ps shows Paused; unpause resumes; errors as Docker', async () => {
  const r = await d.cli(['run', '-d', '--name', 'counter', 'busybox', 'sh', '-c', 'i=0; while true; do i=$((i+1)); echo $i > /tmp/n; sleep 0.1; done']);
  assert.equal(r.code, 0, r.stderr);
  const id = r.stdout.trim();
  const notPaused = await d.api('POST', '/containers/counter/unpause');
  assert.equal(notPaused.status, 409);
  assert.equal(notPaused.json.message, `Container ${id} is not paused`);

  const p = await d.cli(['pause', 'counter']);
  assert.equal(p.code, 0, p.stderr);
  assert.equal(p.stdout, 'counter\n');
  assert.equal((await inspect('counter')).State.Status, 'paused');
  assert.equal((await inspect('counter')).State.Paused, true);
  const ps = await d.cli(['ps', '--format', '{{.Status}}']);
  assert.match(ps.stdout, /^Up .* \(Paused\)\n$/);
  const again = await d.api('POST', '/containers/counter/pause');
  assert.equal(again.status, 409);
  assert.equal(again.json.message, `Container ${id} is already paused`);

  // Frozen: the counter in the container's cgroup does not move.
  const pid = (await inspect('counter')).State.Pid;
  const read = async () => (await import('node:fs/promises')).readFile(`/proc/${pid}/root/tmp/n`, 'utf8');
  const a = await read();
  await sleep(600);
  assert.equal(await read(), a);

  assert.equal((await d.cli(['unpause', 'counter'])).code, 0);
  assert.equal((await inspect('counter')).State.Status, 'running');
  await sleep(600);
  assert.notEqual(await read(), a);

  await d.cli(['pause', 'counter']);
  assert.equal((await d.cli(['rm', '-f', 'counter'])).code, 0);

  await d.cli(['create', '--name', 'idle', 'busybox', 'true']);
  const idleId = (await inspect('idle')).Id;
  const stopped = await d.api('POST', '/containers/idle/pause');
  assert.equal(stopped.status, 409);
  assert.equal(stopped.json.message, `Container ${idleId} is not running`);
  await d.cli(['rm', 'idle']);
});

test('top lists the container\'s processes, through the API and the CLI', async () => {
  await d.cli(['run', '-d', '--name', 'topper', 'busybox', 'sleep', '4242']);
  const api = await d.api('GET', '/containers/topper/top');
  assert.equal(api.status, 200, api.body);
  assert.ok(api.json.Titles.includes('PID'));
  assert.ok(api.json.Titles.includes('CMD'));
  assert.equal(api.json.Processes.length, 1);
  assert.match(api.json.Processes[0].at(-1), /sleep 4242/);
  const custom = await d.api('GET', '/containers/topper/top?ps_args=-o%20pid,comm');
  assert.deepEqual(custom.json.Titles, ['PID', 'COMMAND']);
  assert.equal(custom.json.Processes[0][1], 'sleep');
  const cli = await d.cli(['top', 'topper']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD\n.*sleep 4242\n$/);
  const cliArgs = await d.cli(['top', 'topper', '-o', 'pid,args']);
  assert.match(cliArgs.stdout, /^PID\s+COMMAND\n\d+\s+sleep 4242\n$/);
  await d.cli(['stop', '-t', '0', 'topper']);
  const stopped = await d.api('GET', '/containers/topper/top');
  assert.equal(stopped.status, 409);
  assert.match(stopped.json.message, /is not running/);
  await d.cli(['rm', 'topper']);
});

test('port, rename, update and prune', async () => {
  await d.cli(['run', '-d', '--name', 'keep', 'busybox', 'sleep', '1000']);
  const port = await d.cli(['port', 'keep']);
  assert.deepEqual([port.code, port.stdout], [0, '']);
  const one = await d.cli(['port', 'keep', '80']);
  assert.equal(one.code, 1);
  assert.match(one.stderr, /^Error: No public port '80' published for keep\n$/);

  assert.equal((await d.cli(['rename', 'keep', 'kept'])).code, 0);
  assert.equal((await inspect('kept')).Name, '/kept');

  const up = await d.cli(['update', '--restart', 'on-failure:3', 'kept']);
  assert.equal(up.code, 0, up.stderr);
  assert.equal(up.stdout, 'kept\n');
  assert.deepEqual((await inspect('kept')).HostConfig.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
  const mem = await d.api('POST', '/containers/kept/update', { Memory: 64 * 1024 * 1024, MemorySwap: 128 * 1024 * 1024, RestartPolicy: { Name: 'always' } });
  assert.equal(mem.status, 200, mem.body);
  assert.deepEqual(mem.json, { Warnings: [] });
  const hc = (await inspect('kept')).HostConfig;
  assert.equal(hc.RestartPolicy.Name, 'always');
  const bad = await d.api('POST', '/containers/kept/update', { RestartPolicy: { Name: 'sometimes' } });
  assert.equal(bad.status, 400);

  await d.cli(['run', '-d', '--rm', '--name', 'auto', 'busybox', 'sleep', '1000']);
  const auto = await d.api('POST', '/containers/auto/update', { RestartPolicy: { Name: 'always' } });
  assert.equal(auto.status, 400);
  assert.match(auto.json.message, /Restart policy cannot be updated because AutoRemove is enabled for the container/);

  await d.cli(['create', '--name', 'old1', 'busybox', 'true']);
  await d.cli(['run', '--name', 'old2', '--label', 'x=1', 'busybox', 'true']);
  const byLabel = await d.api('POST', `/containers/prune?filters=${encodeURIComponent('{"label":["x=1"]}')}`);
  assert.equal(byLabel.status, 200);
  const old2 = byLabel.json.ContainersDeleted;
  assert.equal(old2.length, 1);
  assert.equal((await d.api('GET', '/containers/old2/json')).status, 404);
  const pr = await d.cli(['container', 'prune', '-f']);
  assert.equal(pr.code, 0, pr.stderr);
  assert.match(pr.stdout, /^Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: 0B\n$/);
  const left = (await d.api('GET', '/containers/json?all=1')).json.map((c: any) => c.Names[0]).sort();
  assert.deepEqual(left, ['/auto', '/kept']);
  const none = await d.cli(['container', 'prune', '-f']);
  assert.equal(none.stdout, 'Total reclaimed space: 0B\n');
  const no = await d.cli(['container', 'prune'], { input: 'n\n' });
  assert.match(no.stdout, /Are you sure you want to continue\? \[y\/N\] $/);
  await d.cli(['rm', '-f', 'kept', 'auto']);
});

test('stats: the API JSON has Docker\'s fields; --no-stream prints one row with memory in use', async () => {
  await d.cli(['run', '-d', '--name', 'busy', 'busybox', 'sh', '-c', 'while true; do :; done']);
  const one = await d.api('GET', '/containers/busy/stats?stream=0');
  assert.equal(one.status, 200, one.body);
  const s = one.json;
  assert.equal(s.name, '/busy');
  assert.ok(s.pids_stats.current >= 1);
  assert.ok(s.cpu_stats.cpu_usage.total_usage > s.precpu_stats.cpu_usage.total_usage);
  assert.ok(s.cpu_stats.cpu_usage.percpu_usage.length >= 1);
  assert.ok(s.cpu_stats.system_cpu_usage > s.precpu_stats.system_cpu_usage);
  assert.ok(s.cpu_stats.online_cpus >= 1);
  assert.ok(s.memory_stats.usage > 0 && s.memory_stats.limit > 0 && typeof s.memory_stats.stats.total_inactive_file === 'number');
  assert.ok(s.networks.eth0 && typeof s.networks.eth0.rx_bytes === 'number');
  assert.ok(Array.isArray(s.blkio_stats.io_service_bytes_recursive));
  assert.notEqual(s.preread, '0001-01-01T00:00:00Z');
  const shot = await d.api('GET', '/containers/busy/stats?stream=0&one-shot=1');
  assert.equal(shot.json.preread, '0001-01-01T00:00:00Z');

  const cli = await d.cli(['stats', '--no-stream']);
  assert.equal(cli.code, 0, cli.stderr);
  const lines = cli.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
  assert.equal(lines.length, 2);
  const m = /^[0-9a-f]{12}\s+busy\s+([\d.]+)%\s+([\d.]+)([KMG]i)?B \/ [\d.]+[KMG]iB\s+[\d.]+%\s+\S+ \/ \S+\s+\S+ \/ \S+\s+(\d+)$/.exec(lines[1]);
  assert.ok(m, lines[1]);
  assert.ok(Number(m[2]) > 0);
  assert.ok(Number(m[1]) > 10, `a busy loop uses CPU: ${lines[1]}`);
  const fmt = await d.cli(['stats', '--no-stream', '--format', '{{.Name}} {{.PIDs}}', 'busy']);
  assert.equal(fmt.stdout, 'busy 1\n');
  await d.cli(['rm', '-f', 'busy']);
});

test('events prints a container start line for a container started after it began', async () => {
  const until = Math.floor(Date.now() / 1000) + 4;
  const ev = new Promise<string>((resolve) => {
    const p = spawn(process.execPath, [BERTH, '-H', d.host, 'events', '--until', String(until), '--filter', 'type=container']);
    let out = '';
    p.stdout.on('data', (b) => { out += b; });
    p.on('close', () => resolve(out));
  });
  await sleep(500);
  const r = await d.cli(['run', '-d', '--name', 'evt', 'busybox', 'sleep', '100']);
  const id = r.stdout.trim();
  await d.cli(['pause', 'evt']);
  await d.cli(['unpause', 'evt']);
  const out = await ev;
  assert.match(out, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z container start ${id} \\(image=busybox, name=evt\\)$`, 'm'));
  assert.match(out, new RegExp(`container pause ${id} `));
  assert.match(out, new RegExp(`container unpause ${id} `));
  const past = await d.cli(['events', '--since', '30s', '--until', '0s', '--format', '{{.Action}} {{.Actor.Attributes.name}}']);
  assert.match(past.stdout, /^start evt$/m);
  await d.cli(['rm', '-f', 'evt']);
});

test('a paused container stays paused across a daemon restart and can be unpaused', async () => {
  await d.cli(['run', '-d', '--name', 'frozen', 'busybox', 'sleep', '1000']);
  assert.equal((await d.cli(['pause', 'frozen'])).code, 0);
  await d.kill('SIGTERM');
  await d.start();
  assert.equal((await inspect('frozen')).State.Status, 'paused');
  assert.equal((await d.cli(['unpause', 'frozen'])).code, 0);
  assert.equal((await inspect('frozen')).State.Status, 'running');
  const top = await d.api('GET', '/containers/frozen/top');
  assert.match(top.json.Processes[0].at(-1), /sleep 1000/);
  await d.cli(['rm', '-f', 'frozen']);
});
