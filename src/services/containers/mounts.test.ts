import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBind, validateHostMounts } from './mounts';

test('binds parse as Docker reads them', () => {
  assert.deepEqual(parseBind('/src:/dst'), { source: '/src', destination: '/dst', readonly: false, propagation: 'rprivate' });
  assert.deepEqual(parseBind('/src/:/dst:ro,z'), { source: '/src', destination: '/dst', readonly: true, propagation: 'rprivate' });
  assert.equal(parseBind('/a:/b:rshared').propagation, 'rshared');
  assert.throws(() => parseBind('/a'), /invalid volume specification: '\/a'/);
  assert.throws(() => parseBind('/a:rel'), /mount path must be absolute/);
  assert.throws(() => parseBind('/a:/b:bogus'), /invalid mode: bogus/);
  assert.throws(() => parseBind('data:/b'), /named volumes are not supported yet/);
});

test('published ports and --mount are refused rather than ignored', () => {
  assert.throws(() => validateHostMounts({ PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] } }), /publishing ports/);
  assert.doesNotThrow(() => validateHostMounts({ PortBindings: { '80/tcp': [] }, Binds: ['/x:/y'] }));
  assert.throws(() => validateHostMounts({ Mounts: [{}] } as never), /--mount is not supported yet/);
});
