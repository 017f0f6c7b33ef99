import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isInvalidArgument } from '../../../errdefs';
import { probeFor, validateHealthcheck, mergeHealthcheck } from './config';
import { goDuration } from '../../../lib/go-duration-string';

test('probeFor applies Docker defaults and runs CMD-SHELL through /bin/sh -c', () => {
  assert.deepEqual(probeFor({ Test: ['CMD-SHELL', 'test -f /ok'] }), {
    cmd: ['/bin/sh', '-c', 'test -f /ok'], interval: 30_000, timeout: 30_000, startPeriod: 0, startInterval: 5_000, retries: 3, timeoutNs: 30e9,
  });
  const p = probeFor({ Test: ['CMD', 'true', 'x'], Interval: 200e6, Timeout: 1e9, Retries: 2, StartPeriod: 5e9 })!;
  assert.deepEqual([p.cmd, p.interval, p.timeout, p.retries, p.startPeriod], [['true', 'x'], 200, 1000, 2, 5000]);
  assert.equal(probeFor({ Test: ['NONE'] }), undefined);
  assert.equal(probeFor({ Test: [] }), undefined);
  assert.equal(probeFor(undefined), undefined);
});

test('validateHealthcheck rejects durations under 1ms and negative retries in Docker words', () => {
  const rejects = (hc: object, msg: string) => assert.throws(() => validateHealthcheck(hc), (e) => isInvalidArgument(e) && (e as Error).message === msg);
  rejects({ Interval: 500 }, 'Interval in Healthcheck cannot be less than 1ms');
  rejects({ Interval: -1e9 }, 'Interval in Healthcheck cannot be less than 1ms');
  rejects({ Timeout: 1 }, 'Timeout in Healthcheck cannot be less than 1ms');
  rejects({ StartPeriod: -5 }, 'StartPeriod in Healthcheck cannot be less than 1ms');
  rejects({ StartInterval: 10 }, 'StartInterval in Healthcheck cannot be less than 1ms');
  rejects({ Retries: -1 }, 'Retries in Healthcheck cannot be negative');
  validateHealthcheck({ Test: ['CMD', 'true'], Interval: 0, Timeout: 1e6, Retries: 0 });
  validateHealthcheck(null);
});

test('a create body inherits the image healthcheck field by field', () => {
  const image = { Test: ['CMD', 'probe'], Interval: 5e9, Retries: 4 };
  assert.deepEqual(mergeHealthcheck({ Test: null, Interval: 1e9 }, image), { Test: ['CMD', 'probe'], Interval: 1e9, Retries: 4, Timeout: undefined, StartPeriod: undefined, StartInterval: undefined });
  assert.deepEqual(mergeHealthcheck({ Test: ['NONE'] }, image)!.Test, ['NONE']);
  assert.equal(mergeHealthcheck(undefined, image), image);
});

test('goDuration prints as Go does', () => {
  assert.deepEqual([30e9, 200e6, 1.5e9, 90e9, 3.6e12 + 1e9, 0, 1500].map(goDuration), ['30s', '200ms', '1.5s', '1m30s', '1h0m1s', '0s', '1.5µs']);
});
