import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { addHealthFlags, buildHealthcheck, parseGoDuration, type HealthFlags } from './health-flags';

const parse = (args: string[]) => addHealthFlags(new Command().exitOverride()).parse(args, { from: 'user' }).opts<HealthFlags>();

test('parseGoDuration reads Go durations in nanoseconds, with Go errors', () => {
  assert.deepEqual(['1s', '500ms', '1m30s', '1.5h', '0', '2us', '-3s'].map(parseGoDuration), [1e9, 500e6, 90e9, 5.4e12, 0, 2000, -3e9]);
  assert.throws(() => parseGoDuration('abc'), /time: invalid duration "abc"/);
  assert.throws(() => parseGoDuration('5'), /time: missing unit in duration "5"/);
  assert.throws(() => parseGoDuration('5x'), /time: unknown unit "x" in duration "5x"/);
});

test('health flags map to a HealthConfig as the docker CLI does', () => {
  assert.deepEqual(buildHealthcheck(parse(['--health-cmd', 'curl -f localhost', '--health-interval', '200ms', '--health-retries', '2'])), {
    Test: ['CMD-SHELL', 'curl -f localhost'], Interval: 200e6, Timeout: 0, StartPeriod: 0, StartInterval: 0, Retries: 2,
  });
  assert.deepEqual(buildHealthcheck(parse(['--health-timeout', '1s'])), { Test: null, Interval: 0, Timeout: 1e9, StartPeriod: 0, StartInterval: 0, Retries: 0 });
  assert.deepEqual(buildHealthcheck(parse(['--no-healthcheck'])), { Test: ['NONE'] });
  assert.equal(buildHealthcheck(parse([])), undefined);
});

test('bad health flags are usage errors in docker words', () => {
  assert.throws(() => buildHealthcheck(parse(['--no-healthcheck', '--health-cmd', 'true'])), /--no-healthcheck conflicts with --health-\* options/);
  assert.throws(() => buildHealthcheck(parse(['--health-interval', '-1s'])), /--health-interval cannot be negative/);
  assert.throws(() => parse(['--health-interval', '1x']), /invalid argument "1x" for "--health-interval" flag: time: unknown unit "x" in duration "1x"/);
});
