import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registryAuthFromHeader } from './registry-auth';

const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

test('X-Registry-Auth: username/password, identity token, the legacy auth field, and anonymous as dockerd decodes it', async () => {
  assert.deepEqual(await registryAuthFromHeader(enc({ username: 'u', password: 'p', serveraddress: 'r' })).credentialsFor('r'), { username: 'u', password: 'p' });
  assert.deepEqual(await registryAuthFromHeader(enc({ identitytoken: 'tok' })).credentialsFor('r'), { identitytoken: 'tok' });
  assert.deepEqual(await registryAuthFromHeader(enc({ auth: Buffer.from('u:p:q').toString('base64') })).credentialsFor('r'), { username: 'u', password: 'p:q' });
  // standard base64 with padding works too
  assert.deepEqual(await registryAuthFromHeader(Buffer.from(JSON.stringify({ username: 'ü?>', password: '~~~' })).toString('base64')).credentialsFor('r'), { username: 'ü?>', password: '~~~' });
  for (const h of [undefined, '', 'e30=', 'not base64 json!', enc('a string')]) {
    assert.equal(await registryAuthFromHeader(h).credentialsFor('r'), undefined, String(h));
  }
});
