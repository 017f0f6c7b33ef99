import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestDaemon } from '../harness';
import { runLoad, formatReport, cleanupLoad, mountsUnder } from '../load-driver';

/**
 * A short API load run (the soak suite runs the long one with a memory check): 20 clients
 * mixing ps, inspect, logs, create, start, stop, rm -f and exec on their own and each other's
 * containers for 8 s. Only Docker's 404/409 may come back, nothing hangs, nothing is left.
 */
const d = new TestDaemon('load');
before(() => d.start());
after(() => d.stop());

/** The prepared bridge netns is one of these before and after. */
const mounts = () => mountsUnder([d.dataRoot, d.execRoot]);

test('20 clients for 8 s: no 5xx, no socket error, no stuck request, nothing left behind', async () => {
  const mountsBefore = await mounts();
  const runId = `it${process.pid}`;
  const report = await runLoad({ socket: d.socket, clients: 20, durationMs: 8_000, runId, stuckMs: 20_000 });
  process.stdout.write(`${formatReport(report)}\n`);
  assert.deepEqual(report.failures, []);
  assert.ok(report.total > 100, `only ${report.total} requests`);
  assert.equal(await cleanupLoad((m, p) => d.api(m, p), runId), 0);
  assert.equal((await d.api('GET', '/_ping')).status, 200);
  assert.equal(await mounts(), mountsBefore);
});
