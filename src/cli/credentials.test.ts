import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INDEX_SERVER, credentialKey, eraseCredentials, getCredentials, registryAuthHeader, registryOf, storeCredentials } from './credentials';

test('registry of a reference and its config key, as the docker CLI picks them', () => {
  assert.equal(registryOf('busybox'), 'docker.io');
  assert.equal(registryOf('library/busybox:1'), 'docker.io');
  assert.equal(registryOf('localhost/x'), 'localhost');
  assert.equal(registryOf('127.0.0.1:5000/a/b@sha256:00'), '127.0.0.1:5000');
  assert.equal(registryOf('reg.example/x'), 'reg.example');
  assert.equal(credentialKey(undefined), INDEX_SERVER);
  assert.equal(credentialKey('docker.io'), INDEX_SERVER);
  assert.equal(credentialKey('https://index.docker.io/v1/'), INDEX_SERVER);
  assert.equal(credentialKey('http://reg.example:5000/v2/'), 'reg.example:5000');
});

test('config.json: stored as base64 user:pass, found under a key with a scheme, erased', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-creds-'));
  const env = { DOCKER_CONFIG: dir };
  try {
    await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { 'https://reg.example:5000': { auth: Buffer.from('old:pw:with:colons').toString('base64') } }, psFormat: 'x' }));
    assert.deepEqual(await getCredentials('reg.example:5000', env), { username: 'old', password: 'pw:with:colons', serveraddress: 'reg.example:5000' });
    await storeCredentials({ username: 'u', password: 'p', serveraddress: 'docker.io' }, env);
    const cfg = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    assert.equal(cfg.psFormat, 'x');
    assert.deepEqual(cfg.auths[INDEX_SERVER], { auth: Buffer.from('u:p').toString('base64') });
    const header = await registryAuthHeader('busybox:latest', env);
    assert.deepEqual(JSON.parse(Buffer.from(header!, 'base64url').toString()), { username: 'u', password: 'p', serveraddress: INDEX_SERVER });
    assert.equal(await registryAuthHeader('other.example/x', env), undefined);
    assert.equal(await eraseCredentials('reg.example:5000', env), true);
    assert.equal(await getCredentials('reg.example:5000', env), undefined);
    assert.equal(await eraseCredentials('reg.example:5000', env), false);
  } finally { await rm(dir, { recursive: true, force: true }); }
});
