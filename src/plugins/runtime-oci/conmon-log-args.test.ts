import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conmonArgs } from './conmon-monitor';

test('conmon gets the log driver and size limit', () => {
  const base = { id: 'c', name: 'n', bundle: '/b', runtime: { name: 'runc', path: '/usr/bin/runc', globalArgs: [] }, logPath: '/l/container.log', exitDir: '/e', socketDir: '/s', stdin: false, leaveStdinOpen: false, tty: false };
  const a = conmonArgs({ ...base, logSizeMax: 10240 });
  assert.deepEqual(a.slice(a.indexOf('-l'), a.indexOf('-l') + 4), ['-l', 'k8s-file:/l/container.log', '--log-size-max', '10240']);
  const n = conmonArgs({ ...base, logDriver: 'none', logSizeMax: 10240 });
  assert.equal(n[n.indexOf('-l') + 1], 'none:');
  assert.ok(!n.includes('--log-size-max'));
});
