import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logSettings, ramInBytes } from './log-config';

test('log settings: defaults per driver, sizes as Docker reads them', () => {
  assert.deepEqual(logSettings(undefined), { driver: 'json-file', maxSize: 0, maxFile: 1 });
  assert.deepEqual(logSettings({ Type: '', Config: {} }), { driver: 'json-file', maxSize: 0, maxFile: 1 });
  assert.deepEqual(logSettings({ Type: 'local' }), { driver: 'local', maxSize: 20 * 1024 * 1024, maxFile: 5 });
  assert.deepEqual(logSettings({ Type: 'k8s-file', Config: { 'max-size': '10k', 'max-file': '3' } }), { driver: 'k8s-file', maxSize: 10240, maxFile: 3 });
  assert.equal(ramInBytes('1m'), 1048576);
  assert.equal(ramInBytes('1.5KB'), 1536);
  assert.equal(ramInBytes('100'), 100);
});

test('log settings: Docker\'s errors', () => {
  assert.throws(() => logSettings({ Type: 'gelf' }), { message: "logger: no log driver named 'gelf' is registered" });
  assert.throws(() => logSettings({ Type: 'json-file', Config: { foo: '1' } }), { message: "unknown log opt 'foo' for json-file log driver" });
  assert.throws(() => logSettings({ Type: 'local', Config: { foo: '1' } }), { message: "unknown log opt 'foo' for log driver local" });
  assert.throws(() => logSettings({ Config: { 'max-size': '-1' } }), { message: "failed to initialize logging driver: invalid size: '-1'" });
  assert.throws(() => logSettings({ Config: { 'max-size': '0' } }), { message: 'failed to initialize logging driver: max-size must be a positive number' });
  assert.throws(() => logSettings({ Config: { 'max-file': 'x' } }), { message: 'failed to initialize logging driver: strconv.Atoi: parsing "x": invalid syntax' });
  assert.throws(() => logSettings({ Config: { 'max-file': '0' } }), { message: 'failed to initialize logging driver: max-file cannot be less than 1' });
});
