import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goSyscallMessage } from './go-syscall-error';

test('a real ENOENT from fs reads as Go\'s PathError', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-goerr-'));
  try {
    const err = await open(join(dir, 'missing'), 'r').then(() => undefined, (e: unknown) => e);
    assert.equal(goSyscallMessage(err), `open ${join(dir, 'missing')}: no such file or directory`);
  } finally { await rm(dir, { recursive: true, force: true }); }
});

test('a system error without a path keeps the syscall only', () => {
  const err = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', errno: -28 });
  assert.equal(goSyscallMessage(err), 'write: no space left on device');
});

test('errors that are not Node system errors are left alone', () => {
  assert.equal(goSyscallMessage(new Error('plain')), undefined);
  assert.equal(goSyscallMessage(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' })), undefined);
  assert.equal(goSyscallMessage(undefined), undefined);
});
