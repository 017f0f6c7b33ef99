import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyProbeResult, startingHealth, healthText, MAX_LOG_ENTRIES, type HealthState } from './state';

const result = (code: number, output = '') => ({ Start: '2026-01-01T00:00:00.000Z', End: '2026-01-01T00:00:00.100Z', ExitCode: code, Output: output });
const run = (codes: number[], opts = { retries: 3, inStartPeriod: false }, from: HealthState = startingHealth()) =>
  codes.reduce((s, c) => applyProbeResult(s, result(c), opts), from);

test('the first success makes a starting container healthy and clears the streak', () => {
  const s = run([1, 0]);
  assert.equal(s.Status, 'healthy');
  assert.equal(s.FailingStreak, 0);
  assert.equal(s.Log.length, 2);
});

test('Retries consecutive failures make it unhealthy; fewer leave the status alone', () => {
  assert.deepEqual([run([1, 1]).Status, run([1, 1]).FailingStreak], ['starting', 2]);
  assert.deepEqual([run([1, 1, 1]).Status, run([1, 1, 1]).FailingStreak], ['unhealthy', 3]);
  assert.equal(run([0, 1, 1]).Status, 'healthy');
  assert.equal(run([0, 1, 1, 2]).Status, 'unhealthy');
  assert.equal(run([1, 1, 1, 0]).Status, 'healthy');
});

test('failures within the start period do not count while starting, but do once healthy', () => {
  const inStart = { retries: 1, inStartPeriod: true };
  const s = run([1, 1, 1], inStart);
  assert.equal(s.Status, 'starting');
  assert.equal(s.FailingStreak, 0);
  assert.equal(s.Log.length, 3);
  assert.equal(run([0, 1], inStart).Status, 'unhealthy');
});

test('the log keeps the last five results and 4096 bytes of output each', () => {
  let s = startingHealth();
  for (let i = 0; i < 7; i++) s = applyProbeResult(s, result(i === 6 ? 0 : 1, `run ${i}`), { retries: 100, inStartPeriod: false });
  assert.equal(s.Log.length, MAX_LOG_ENTRIES);
  assert.deepEqual(s.Log.map((e) => e.Output), ['run 2', 'run 3', 'run 4', 'run 5', 'run 6']);
  const big = applyProbeResult(s, result(0, 'x'.repeat(5000)), { retries: 3, inStartPeriod: false });
  assert.equal(big.Log.at(-1)!.Output.length, 4096);
});

test('a restart starts over as starting with the streak cleared, the log kept', () => {
  const s = startingHealth(run([1, 1, 1]));
  assert.deepEqual([s.Status, s.FailingStreak, s.Log.length], ['starting', 0, 3]);
  assert.deepEqual(['starting', 'healthy', 'unhealthy'].map((Status) => healthText({ ...s, Status } as HealthState)), ['health: starting', 'healthy', 'unhealthy']);
});
