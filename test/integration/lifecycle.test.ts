import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestDaemon } from '../harness';

const d = new TestDaemon('life');
before(() => d.start());
after(() => d.stop());

const inspect = async (ref: string) => (await d.api('GET', `/containers/${ref}/json`)).json;

test('detached container: ps, logs, stop, start, kill, rm -f', async () => {
  const run = await d.cli(['run', '-d', '--name', 'web', 'busybox', 'sh', '-c', 'echo started; echo oops >&2; exec sleep 1000']);
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  const ps = await d.cli(['ps']);
  assert.match(ps.stdout, /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES\n/);
  assert.match(ps.stdout, new RegExp(`${id.slice(0, 12)}\\s+busybox\\s+"sh -c 'echo started…"\\s+.*Up .*\\s+web\\n`));
  await new Promise((r) => setTimeout(r, 300));
  const logs = await d.cli(['logs', 'web']);
  assert.equal(logs.stdout, 'started\n');
  assert.equal(logs.stderr, 'oops\n');
  const stamped = await d.cli(['logs', '-t', '--tail', '1', 'web']);
  assert.match(stamped.stdout + stamped.stderr, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (started|oops)\n$/);

  assert.equal((await d.cli(['stop', '-t', '1', 'web'])).code, 0);
  let s = await inspect('web');
  assert.equal(s.State.Status, 'exited');
  assert.equal(s.State.ExitCode, 137);
  assert.equal((await d.api('POST', '/containers/web/stop')).status, 304);

  assert.equal((await d.cli(['start', 'web'])).code, 0);
  s = await inspect('web');
  assert.equal(s.State.Running, true);
  assert.ok(s.State.Pid > 0);
  assert.equal((await d.api('POST', '/containers/web/start')).status, 304);

  assert.equal((await d.cli(['kill', 'web'])).code, 0);
  // SIGKILL returns once the container has exited, as dockerd's kill does
  assert.equal((await inspect('web')).State.Running, false);
  const w = await d.cli(['wait', 'web']);
  assert.equal(w.stdout.trim(), '137');
  const killStopped = await d.api('POST', '/containers/web/kill');
  assert.equal(killStopped.status, 409);
  assert.match(killStopped.json.message, /is not running/);

  assert.equal((await d.cli(['start', 'web'])).code, 0);
  const rmRunning = await d.api('DELETE', '/containers/web');
  assert.equal(rmRunning.status, 409);
  assert.match(rmRunning.json.message, /container is running: stop the container before removing or force remove/);
  assert.equal((await d.cli(['rm', '-f', 'web'])).code, 0);
  assert.equal((await d.api('GET', '/containers/web/json')).status, 404);
  assert.equal((await d.cli(['ps', '-a', '-q'])).stdout, '');
});

test('create, then start, then wait gives the exit code; ps -a shows Exited', async () => {
  const c = await d.cli(['create', '--name', 'once', 'busybox', 'sh', '-c', 'exit 7']);
  assert.equal(c.code, 0, c.stderr);
  assert.equal((await inspect('once')).State.Status, 'created');
  const ps1 = await d.cli(['ps', '-a', '--format', '{{.Names}} {{.Status}}']);
  assert.equal(ps1.stdout, 'once Created\n');
  await d.cli(['start', 'once']);
  const w = await d.api('POST', '/containers/once/wait');
  assert.deepEqual(w.json, { StatusCode: 7, Error: null });
  const ps2 = await d.cli(['ps', '-a', '--format', '{{.Status}}']);
  assert.match(ps2.stdout, /^Exited \(7\) /);
  assert.equal((await d.cli(['rm', 'once'])).code, 0);
});

test('names: conflicts and invalid names are refused and leave nothing behind', async () => {
  await d.cli(['create', '--name', 'dup', 'busybox', 'true']);
  const again = await d.api('POST', '/containers/create?name=dup', { Image: 'busybox', Cmd: ['true'] });
  assert.equal(again.status, 409);
  assert.match(again.json.message, /^Conflict\. The container name "\/dup" is already in use by container "[0-9a-f]{64}"\. You have to remove \(or rename\) that container to be able to reuse that name\.$/);
  const bad = await d.api('POST', '/containers/create?name=-bad', { Image: 'busybox', Cmd: ['true'] });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.message, 'Invalid container name (-bad), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed');
  const malformed = await d.api('POST', '/containers/create', '{"Image": ');
  assert.equal(malformed.status, 400);
  const list = (await d.api('GET', '/containers/json?all=1')).json;
  assert.equal(list.length, 1);
  await d.cli(['rm', 'dup']);
});

test('unknown containers are 404 with Docker\'s message, through the API and the CLI', async () => {
  const r = await d.api('GET', '/containers/nosuch/json');
  assert.equal(r.status, 404);
  assert.equal(r.json.message, 'No such container: nosuch');
  const cli = await d.cli(['rm', 'nosuch']);
  assert.equal(cli.code, 1);
  assert.equal(cli.stderr.trim(), 'Error response from daemon: No such container: nosuch');
});

test('ps filters by name, label and status; -q and -n', async () => {
  await d.cli(['run', '-d', '--name', 'fa', '-l', 'team=a', 'busybox', 'sleep', '100']);
  await d.cli(['create', '--name', 'fb', '-l', 'team=b', 'busybox', 'true']);
  const byLabel = await d.cli(['ps', '-a', '--filter', 'label=team=b', '--format', '{{.Names}}']);
  assert.equal(byLabel.stdout, 'fb\n');
  const byStatus = await d.cli(['ps', '-a', '--filter', 'status=running', '--format', '{{.Names}}']);
  assert.equal(byStatus.stdout, 'fa\n');
  const byName = await d.api('GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ name: ['fa'] }))}`);
  assert.deepEqual(byName.json.map((c: any) => c.Names[0]), ['/fa']);
  const last = await d.cli(['ps', '-a', '-n', '1', '--format', '{{.Names}}']);
  assert.equal(last.stdout, 'fb\n');
  const rm = await d.cli(['rm', '-f', 'fa', 'fb']);
  assert.equal(rm.code, 0, rm.stderr);
});

test('attach to a running container streams its output; a stopped one is refused', async () => {
  await d.cli(['run', '-d', '--name', 'talker', 'busybox', 'sh', '-c', 'sleep 0.5; echo late; sleep 0.3']);
  const a = await d.cli(['attach', 'talker']);
  assert.equal(a.stdout, 'late\n');
  const again = await d.cli(['attach', 'talker']);
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /You cannot attach to a stopped container, start it first/);
  await d.cli(['rm', 'talker']);
});

test('after kill -9 of the daemon, running containers keep running and exits are recorded', async () => {
  await d.cli(['run', '-d', '--name', 'survivor', 'busybox', 'sleep', '1000']);
  await d.cli(['run', '-d', '--name', 'ender', 'busybox', 'sh', '-c', 'sleep 1; exit 5']);
  await d.cli(['run', '--name', 'done', 'busybox', 'sh', '-c', 'exit 4']);
  const pid = (await inspect('survivor')).State.Pid;
  await d.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 1500));
  process.kill(pid, 0);
  await d.start();
  const s = await inspect('survivor');
  assert.equal(s.State.Status, 'running');
  assert.equal(s.State.Pid, pid);
  const e = await inspect('ender');
  assert.equal(e.State.Status, 'exited');
  assert.equal(e.State.ExitCode, 5);
  assert.equal((await inspect('done')).State.ExitCode, 4);
  const logs = await d.cli(['run', '--rm', 'busybox', 'echo', 'still works']);
  assert.equal(logs.stdout, 'still works\n');
  assert.equal((await d.cli(['rm', '-f', 'survivor', 'ender', 'done'])).code, 0);
});

test('logs -f follows until the container exits; --since and --until bound the records', async () => {
  await d.cli(['run', '-d', '--name', 'ticker', 'busybox', 'sh', '-c', 'echo one; sleep 0.6; echo two; sleep 0.6; echo three']);
  const f = await d.cli(['logs', '-f', 'ticker'], { timeoutMs: 15_000 });
  assert.equal(f.stdout, 'one\ntwo\nthree\n');
  const future = Math.floor(Date.now() / 1000) + 3600;
  assert.equal((await d.cli(['logs', '--since', String(future), 'ticker'])).stdout, '');
  assert.equal((await d.cli(['logs', '--until', '1', 'ticker'])).stdout, '');
  assert.equal((await d.cli(['logs', '--tail', '2', 'ticker'])).stdout, 'two\nthree\n');
  const raw = await d.api('GET', '/containers/ticker/logs?stdout=1&tail=1');
  assert.equal(raw.headers['content-type'], 'application/vnd.docker.multiplexed-stream');
  assert.deepEqual([...Buffer.from(raw.body, 'latin1').subarray(0, 8)], [1, 0, 0, 0, 0, 0, 0, 6]);
  await d.cli(['rm', 'ticker']);
});

test('attach with invalid detach keys is a 400 in Docker\'s words', async () => {
  await d.cli(['create', '-i', '--name', 'keys', 'busybox', 'cat']);
  const r = await d.api('POST', '/containers/keys/attach?stream=1&stdin=1&detachKeys=ctrl-pq');
  assert.equal(r.status, 400);
  assert.equal(r.json.message, 'Invalid detach keys (ctrl-pq) provided');
  await d.cli(['rm', 'keys']);
});
