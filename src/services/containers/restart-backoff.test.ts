import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { makeHarness, type Harness } from './testing/fakes';

let h: Harness;
beforeEach(async () => { h = await makeHarness(); });
afterEach(async () => { await h.cleanup(); });

const turns = async (n = 20) => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };

/** Lets the container exit and checks the restart comes after exactly `delay` ms. */
async function exitAndRestartAfter(t: { mock: { timers: { tick(ms: number): void } } }, id: string, delay: number) {
  const starts = h.events.callsTo('start', id).length;
  const exited = h.service.wait(id, 'next-exit');
  await h.exit(id, 1);
  await exited;
  assert.equal(h.service.inspect(id).state.status, 'restarting');
  t.mock.timers.tick(delay - 1);
  await turns();
  assert.equal(h.events.callsTo('start', id).length, starts, `no restart before ${delay} ms`);
  t.mock.timers.tick(1);
  await h.events.called('start', id, starts + 1);
  assert.equal(h.service.inspect(id).state.status, 'running');
}

test('restart delays start at 100 ms and double for quick exits, capped at a minute', async (t) => {
  const rec = await h.service.create({ body: { Image: 'busybox', HostConfig: { RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } } } });
  await h.service.start(rec.id);
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const delays = [100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000];
  for (const d of delays) await exitAndRestartAfter(t, rec.id, d);
  assert.equal(h.service.inspect(rec.id).restartCount, delays.length);
});

test('a container that ran 10 s or more restarts after 100 ms again', async (t) => {
  const rec = await h.service.create({ body: { Image: 'busybox', HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 0 } } } });
  await h.service.start(rec.id);
  t.mock.timers.enable({ apis: ['setTimeout'] });
  await exitAndRestartAfter(t, rec.id, 100);
  await exitAndRestartAfter(t, rec.id, 200);
  h.service.inspect(rec.id).state.startedAt = new Date(Date.now() - 11_000).toISOString();
  await exitAndRestartAfter(t, rec.id, 100);
  await exitAndRestartAfter(t, rec.id, 200);
  assert.equal(h.service.inspect(rec.id).restartCount, 4);
});

test('a stop during the delay forgets the back-off: the next restart waits 100 ms', async (t) => {
  const rec = await h.service.create({ body: { Image: 'busybox', HostConfig: { RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } } } });
  await h.service.start(rec.id);
  t.mock.timers.enable({ apis: ['setTimeout'] });
  await exitAndRestartAfter(t, rec.id, 100);
  const exited = h.service.wait(rec.id, 'next-exit');
  await h.exit(rec.id, 1);
  await exited;
  await h.service.stop(rec.id);
  assert.equal(h.service.inspect(rec.id).state.status, 'exited');
  await h.service.start(rec.id);
  await exitAndRestartAfter(t, rec.id, 100);
});
