import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDetachKeys, AttachSession } from './attach-session';

test('detach keys parse as Docker spells them', () => {
  assert.deepEqual([...parseDetachKeys('ctrl-p,ctrl-q')], [16, 17]);
  assert.deepEqual([...parseDetachKeys('a,ctrl-@')], [97, 0]);
  assert.throws(() => parseDetachKeys('ctrl-pq'), /Invalid detach keys/);
});

test('a session ends on the detach sequence and holds back a partial match', () => {
  let ended = 0;
  const s = new AttachSession({ stdin: true, stdout: true, stderr: true }, { write() {}, end() { ended++; } });
  s.writeStdin(Buffer.from([104, 16]));
  assert.equal(ended, 0);
  s.writeStdin(Buffer.from([17]));
  assert.equal(ended, 1);
  assert.ok(s.closed);
});
