import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conmonArgs, runtimeError } from './conmon-monitor';
import { findBerthError } from '../../errdefs';

const base = {
  id: 'abc', name: 'web', bundle: '/run/b/abc', runtime: { name: 'runc', path: '/usr/sbin/runc', globalArgs: ['--root=/run/r'] },
  logPath: '/l/abc.log', exitDir: '/run/exits', socketDir: '/run/socks', stdin: false, leaveStdinOpen: false, tty: false,
};

test('conmon args carry the runtime, log, exit dir and stdio choices', () => {
  const a = conmonArgs(base);
  assert.deepEqual(a.slice(a.indexOf('-r'), a.indexOf('-r') + 2), ['-r', '/usr/sbin/runc']);
  assert.ok(a.includes('k8s-file:/l/abc.log'));
  assert.deepEqual(a.slice(a.indexOf('--runtime-arg'), a.indexOf('--runtime-arg') + 2), ['--runtime-arg', '--root=/run/r']);
  assert.ok(!a.includes('-i') && !a.includes('-t'));
  const i = conmonArgs({ ...base, stdin: true, leaveStdinOpen: true, tty: true });
  assert.ok(i.includes('-i') && i.includes('--leave-stdin-open') && i.includes('-t'));
});

test('a runtime failure reads as Docker words it, with the exit code Docker reports', () => {
  const raw = 'time="2026-11-22T15:47:31Z" level=error msg="runc create failed: unable to start container process: exec: \\"nosuch\\": executable file not found in $PATH"\n';
  const e = runtimeError('runc', raw);
  assert.equal(e.message, 'failed to create task for container: OCI runtime create failed: runc create failed: unable to start container process: exec: "nosuch": executable file not found in $PATH: unknown');
  assert.equal(findBerthError(e)?.exitCode, 127);
  assert.equal(findBerthError(runtimeError('runc', 'msg="open /x: permission denied"'))?.exitCode, 126);
  assert.match(runtimeError('crun', 'cgroups in hybrid mode not supported').message, /crun create failed: cgroups in hybrid mode not supported: unknown$/);
});
