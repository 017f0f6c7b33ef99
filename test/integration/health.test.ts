import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestDaemon } from '../harness';

const d = new TestDaemon('health');
before(() => d.start());
after(() => d.stop());

const inspect = async (ref: string) => (await d.api('GET', `/containers/${ref}/json`)).json;
const status = async (name: string) => (await d.cli(['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Status}}'])).stdout.trim();

/** Polls inspect until cond holds (10 s at most) and returns the last inspect. */
async function until(ref: string, cond: (c: any) => boolean): Promise<any> {
  let c: any;
  for (let i = 0; i < 100; i++) {
    c = await inspect(ref);
    if (cond(c)) return c;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`condition not met for ${ref}: ${JSON.stringify(c?.State)}`);
}

test('a passing probe makes the container healthy: inspect, ps STATUS and an event', async () => {
  const since = Math.floor(Date.now() / 1000);
  const r = await d.cli(['run', '-d', '--name', 'hok', '--health-cmd', 'echo fine', '--health-interval', '200ms', 'busybox', 'sleep', '1000']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await inspect('hok')).Config.Healthcheck, { Test: ['CMD-SHELL', 'echo fine'], Interval: 200e6, Timeout: 0, StartPeriod: 0, StartInterval: 0, Retries: 0 });
  const c = await until('hok', (x) => x.State.Health?.Status === 'healthy');
  assert.equal(c.State.Health.FailingStreak, 0);
  assert.equal(c.State.Health.Log[0].ExitCode, 0);
  assert.equal(c.State.Health.Log[0].Output, 'fine\n');
  assert.ok(Date.parse(c.State.Health.Log[0].End) >= Date.parse(c.State.Health.Log[0].Start));
  assert.match(await status('hok'), /^Up .* \(healthy\)$/);
  const ev = await d.api('GET', `/events?since=${since}&until=${Math.ceil(Date.now() / 1000) + 1}`);
  assert.match(ev.body, /"Action":"health_status: healthy"/);
  // The log keeps the last five results.
  const later = await until('hok', (x) => x.State.Health.Log.length === 5 && Date.parse(x.State.Health.Log[4].Start) > Date.parse(c.State.Health.Log.at(-1).Start) + 800);
  assert.equal(later.State.Health.Log.length, 5);
});

test('a failing probe makes it unhealthy after Retries failures, with the log in inspect', async () => {
  const r = await d.cli(['run', '-d', '--name', 'hbad', '--health-cmd', 'echo broken >&2; exit 1', '--health-interval', '200ms', '--health-retries', '2', 'busybox', 'sleep', '1000']);
  assert.equal(r.code, 0, r.stderr);
  const c = await until('hbad', (x) => x.State.Health?.Status === 'unhealthy');
  assert.ok(c.State.Health.FailingStreak >= 2);
  assert.deepEqual(c.State.Health.Log.slice(0, 2).map((e: any) => [e.ExitCode, e.Output]), [[1, 'broken\n'], [1, 'broken\n']]);
  assert.match(await status('hbad'), /^Up .* \(unhealthy\)$/);
});

test('a probe past its timeout fails with Docker\'s message', async () => {
  const r = await d.cli(['run', '-d', '--name', 'hslow', '--health-cmd', 'sleep 5', '--health-interval', '200ms', '--health-timeout', '300ms', '--health-retries', '1', 'busybox', 'sleep', '1000']);
  assert.equal(r.code, 0, r.stderr);
  const c = await until('hslow', (x) => x.State.Health?.Status === 'unhealthy');
  assert.deepEqual([c.State.Health.Log[0].ExitCode, c.State.Health.Log[0].Output], [-1, 'Health check exceeded timeout (300ms)']);
});

test('a container waiting for its first probe shows health: starting; stop ends the probes, start begins again', async () => {
  const r = await d.cli(['run', '-d', '--name', 'hwait', '--health-cmd', 'true', '--health-interval', '1m', 'busybox', 'sleep', '1000']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(await status('hwait'), /^Up .* \(health: starting\)$/);
  assert.equal((await inspect('hwait')).State.Health.Status, 'starting');
  assert.equal((await d.cli(['stop', '-t', '0', 'hwait'])).code, 0);
  assert.match(await status('hwait'), /^Exited \(137\)/);

  await d.cli(['run', '-d', '--name', 'hcycle', '--health-cmd', 'true', '--health-interval', '200ms', 'busybox', 'sleep', '1000']);
  await until('hcycle', (x) => x.State.Health?.Status === 'healthy');
  assert.equal((await d.cli(['stop', '-t', '0', 'hcycle'])).code, 0);
  const stopped = (await inspect('hcycle')).State.Health.Log.length;
  await new Promise((res) => setTimeout(res, 600));
  assert.equal((await inspect('hcycle')).State.Health.Log.length, stopped);
  assert.equal((await d.cli(['start', 'hcycle'])).code, 0);
  assert.equal((await inspect('hcycle')).State.Health.Status, 'starting');
  await until('hcycle', (x) => x.State.Health.Status === 'healthy');
});

test('health survives a daemon restart and the monitor resumes', async () => {
  await d.cli(['run', '-d', '--name', 'hlive', '--health-cmd', 'echo up', '--health-interval', '200ms', 'busybox', 'sleep', '1000']);
  await until('hlive', (x) => x.State.Health?.Status === 'healthy');
  await d.kill('SIGTERM');
  await d.start();
  const c = await inspect('hlive');
  assert.equal(c.State.Running, true);
  assert.equal(c.State.Health.Status, 'healthy');
  const last = Date.parse(c.State.Health.Log.at(-1).Start);
  await until('hlive', (x) => Date.parse(x.State.Health.Log.at(-1).Start) > last);
});

test('--no-healthcheck turns off the image healthcheck: no Health, no suffix', async () => {
  const r = await d.cli(['run', '-d', '--name', 'hnone', '--no-healthcheck', 'busybox', 'sleep', '1000']);
  assert.equal(r.code, 0, r.stderr);
  const c = await inspect('hnone');
  assert.deepEqual(c.Config.Healthcheck, { Test: ['NONE'] });
  assert.equal(c.State.Health, undefined);
  await new Promise((res) => setTimeout(res, 300));
  assert.match(await status('hnone'), /^Up [^(]*$/);
  const conflict = await d.cli(['run', '-d', '--no-healthcheck', '--health-cmd', 'true', 'busybox']);
  assert.equal(conflict.code, 125);
  assert.match(conflict.stderr, /--no-healthcheck conflicts with --health-\* options/);
});

test('bad healthcheck settings are refused in Docker\'s words', async () => {
  const create = (hc: object) => d.api('POST', '/containers/create', { Image: 'busybox', Healthcheck: hc });
  let res = await create({ Test: ['CMD', 'true'], Interval: 500 });
  assert.equal(res.status, 400);
  assert.equal(res.json.message, 'Interval in Healthcheck cannot be less than 1ms');
  res = await create({ Test: ['CMD', 'true'], Timeout: -1 });
  assert.equal(res.status, 400);
  assert.equal(res.json.message, 'Timeout in Healthcheck cannot be less than 1ms');
  res = await create({ Test: ['CMD', 'true'], Retries: -2 });
  assert.equal(res.status, 400);
  assert.equal(res.json.message, 'Retries in Healthcheck cannot be negative');
  const cli = await d.cli(['create', '--health-interval', 'soon', 'busybox']);
  assert.equal(cli.code, 125);
  assert.match(cli.stderr, /invalid argument "soon" for "--health-interval" flag: time: invalid duration "soon"/);
  const neg = await d.cli(['create', '--health-retries', '-1', 'busybox']);
  assert.match(neg.stderr, /--health-retries cannot be negative/);
});
