import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goDuration } from '../../lib/go-duration-string';
import { exposedPorts } from './expose-ports';

test("Go's Duration.String", () => {
  const cases: Array<[number, string]> = [[0, '0s'], [5e9, '5s'], [1.5e9, '1.5s'], [3e8, '300ms'], [90e9, '1m30s'], [3600e9, '1h0m0s'], [1500, '1.5µs'], [-2e9, '-2s']];
  for (const [ns, want] of cases) assert.equal(goDuration(ns), want, String(ns));
});

test('EXPOSE ports as nat.ParsePortSpecs reads them', () => {
  assert.deepEqual(exposedPorts(['80', '53/UDP', '8000-8002']), { '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {}, '8002/tcp': {} });
  assert.throws(() => exposedPorts(['abc']), /Invalid containerPort: abc/);
  assert.throws(() => exposedPorts(['80/xyz']), /Invalid proto: xyz/);
});
