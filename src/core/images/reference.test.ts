import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalize, familiar, parseReference, parseNormalized, formatFamiliar } from './reference';
import { chainIds, imageIdOf } from './ids';
import { sha256 } from '../../lib/digest';

test('normalises like docker', () => {
  assert.equal(normalize('busybox'), 'docker.io/library/busybox:latest');
  assert.equal(normalize('foo/bar:1'), 'docker.io/foo/bar:1');
  assert.equal(normalize('localhost:5000/x/y:tag'), 'localhost:5000/x/y:tag');
  assert.equal(normalize('localhost/x'), 'localhost/x:latest');
  assert.equal(normalize('index.docker.io/library/busybox'), 'docker.io/library/busybox:latest');
  assert.equal(normalize('quay.io/a/b'), 'quay.io/a/b:latest');
  const d = 'sha256:' + 'a'.repeat(64);
  assert.equal(normalize(`busybox@${d}`), `docker.io/library/busybox@${d}`);
  assert.deepEqual(parseReference(`busybox:1@${d}`), { domain: 'docker.io', path: 'library/busybox', tag: '1', digest: d });
});

test('familiar form', () => {
  assert.equal(familiar('docker.io/library/busybox:latest'), 'busybox:latest');
  assert.equal(familiar('docker.io/foo/bar:1'), 'foo/bar:1');
  assert.equal(familiar('localhost:5000/x:tag'), 'localhost:5000/x:tag');
  assert.equal(formatFamiliar(parseNormalized('docker.io/library/a/b')), 'library/a/b:latest');
});

test('rejects with docker messages', () => {
  assert.throws(() => parseReference('Busybox'), { message: 'invalid reference format: repository name (library/Busybox) must be lowercase' });
  assert.throws(() => parseReference('foo/Bar:1'), { message: 'invalid reference format: repository name (foo/Bar) must be lowercase' });
  assert.throws(() => parseReference('busybox:'), { message: 'invalid reference format' });
  assert.throws(() => parseReference('a b'), { message: 'invalid reference format' });
  assert.throws(() => parseReference('-x'), { message: 'invalid reference format' });
  assert.throws(() => parseReference('a'.repeat(64)), /cannot specify 64-byte hexadecimal strings/);
  assert.throws(() => parseReference('x:' + 't'.repeat(129)), { message: 'invalid reference format' });
});

test('image ID is the digest of the config bytes; chain IDs per OCI spec', () => {
  const cfg = '{"architecture":"amd64"}';
  assert.equal(imageIdOf(cfg), sha256(cfg));
  const a = sha256('a'), b = sha256('b'), c = sha256('c');
  const chain = chainIds([a, b, c]);
  assert.equal(chain[0], a);
  assert.equal(chain[1], sha256(`${a} ${b}`));
  assert.equal(chain[2], sha256(`${chain[1]} ${c}`));
  assert.deepEqual(chainIds([]), []);
});
