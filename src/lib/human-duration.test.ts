import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration } from './human-duration';

test('durations read as Docker prints them', () => {
  assert.equal(humanDuration(500), 'Less than a second');
  assert.equal(humanDuration(1000), '1 second');
  assert.equal(humanDuration(45_000), '45 seconds');
  assert.equal(humanDuration(90_000), 'About a minute');
  assert.equal(humanDuration(10 * 60_000), '10 minutes');
  assert.equal(humanDuration(70 * 60_000), 'About an hour');
  assert.equal(humanDuration(5 * 3600_000), '5 hours');
  assert.equal(humanDuration(3 * 86400_000), '3 days');
});
