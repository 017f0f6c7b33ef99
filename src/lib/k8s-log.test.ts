import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseK8sLogLine, dockerTimestamp } from './k8s-log';

test('parses full and partial k8s-file records', () => {
  const full = parseK8sLogLine('2026-11-22T15:47:45.075064517+00:00 stdout F hello world')!;
  assert.equal(full.stream, 'stdout');
  assert.equal(full.data.toString(), 'hello world\n');
  assert.equal(dockerTimestamp(full), '2026-11-22T15:47:45.075064517Z');
  const part = parseK8sLogLine('2026-11-22T15:47:45.1+00:00 stderr P no newline')!;
  assert.equal(part.stream, 'stderr');
  assert.equal(part.data.toString(), 'no newline');
  assert.equal(part.nanos, '100000000');
});

test('rejects lines that are not records', () => {
  assert.equal(parseK8sLogLine('garbage'), undefined);
  assert.equal(parseK8sLogLine('2026-11-22T15:47:45Z stdin F x'), undefined);
});

test('an empty full line is a bare newline', () => {
  assert.equal(parseK8sLogLine('2026-11-22T15:47:45.0+00:00 stdout F ')!.data.toString(), '\n');
});
