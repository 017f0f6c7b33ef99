import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frame, STDERR } from './stream-framing';

test('frames carry the stream byte and a big-endian length', () => {
  const f = frame(STDERR, Buffer.from('hello'));
  assert.deepEqual([...f.subarray(0, 8)], [2, 0, 0, 0, 0, 0, 0, 5]);
  assert.equal(f.subarray(8).toString(), 'hello');
  assert.equal(frame(1, Buffer.alloc(70000)).readUInt32BE(4), 70000);
});
