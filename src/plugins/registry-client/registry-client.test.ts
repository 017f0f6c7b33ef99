import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { fixedAuth } from '../../core/remotes';
import { RegistryClient } from './registry-client';
import { isInsecure } from './endpoint';
import { parseChallenge } from './challenge';

/** A registry on 127.0.0.1 that wants bearer tokens from its own /token endpoint. */
async function tokenRegistry(): Promise<{ host: string; tokenRequests: URL[]; revoke: () => void; close: () => Promise<void> }> {
  const tokenRequests: URL[] = [];
  let valid = new Set<string>();
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { mediaType: 'x', size: 2, digest: 'sha256:00' }, layers: [] }));
  const blob = Buffer.from('layer bytes');
  const srv = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/token') {
      tokenRequests.push(u);
      const basic = req.headers.authorization;
      if (basic !== `Basic ${Buffer.from('bob:pw').toString('base64')}`) { res.writeHead(401); res.end(); return; }
      const t = `tok-${tokenRequests.length}`;
      valid.add(t);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ token: t, expires_in: 300 }));
      return;
    }
    const bearer = /^Bearer (.*)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !valid.has(bearer)) {
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${req.headers.host}/token",service="test",scope="repository:a/b:pull"`, 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    if (u.pathname === '/v2/a/b/manifests/latest') { res.writeHead(200, { 'Content-Type': 'application/vnd.docker.distribution.manifest.v2+json' }); res.end(manifest); return; }
    if (u.pathname === '/v2/a/b/blobs/sha256:' + createHash('sha256').update(blob).digest('hex')) { res.writeHead(200, { 'Content-Length': blob.length }); res.end(blob); return; }
    if (u.pathname.startsWith('/v2/a/b/blobs/')) { res.writeHead(200, { 'Content-Length': blob.length }); res.end(blob); return; }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return {
    host: `127.0.0.1:${(srv.address() as AddressInfo).port}`,
    tokenRequests,
    revoke: () => { valid = new Set(); },
    close: () => new Promise<void>((r) => { srv.closeAllConnections(); srv.close(() => r()); }),
  };
}

test('bearer tokens: fetched with basic credentials and the repository scope, reused, fetched again after a 401', async () => {
  const reg = await tokenRegistry();
  try {
    const client = new RegistryClient({ auth: fixedAuth({ username: 'bob', password: 'pw' }) });
    const repo = client.repository(reg.host, 'a/b', ['pull', 'push']);
    const m = await repo.getManifest('latest');
    assert.equal(m.kind, 'image');
    assert.equal(reg.tokenRequests.length, 1);
    assert.equal(reg.tokenRequests[0].searchParams.get('scope'), 'repository:a/b:pull,push');
    assert.equal(reg.tokenRequests[0].searchParams.get('service'), 'test');
    await repo.getManifest('latest');
    assert.equal(reg.tokenRequests.length, 1, 'the token is reused');
    reg.revoke();
    await repo.getManifest('latest');
    assert.equal(reg.tokenRequests.length, 2, 'a 401 fetches a new token');
    await assert.rejects(repo.getManifest('nope'), /manifest unknown: manifest unknown/);
  } finally { await reg.close(); }
});

test('a blob whose bytes do not hash to its digest fails verification', async () => {
  const reg = await tokenRegistry();
  try {
    const repo = new RegistryClient({ auth: fixedAuth({ username: 'bob', password: 'pw' }) }).repository(reg.host, 'a/b', ['pull']);
    const good = `sha256:${createHash('sha256').update('layer bytes').digest('hex')}`;
    assert.equal((await repo.getBlobBytes(good)).toString(), 'layer bytes');
    const bad = `sha256:${'1'.repeat(64)}`;
    await assert.rejects(repo.getBlobBytes(bad), new RegExp(`filesystem layer verification failed for digest ${bad}`));
  } finally { await reg.close(); }
});

test('wrong credentials: the token endpoint refuses', async () => {
  const reg = await tokenRegistry();
  try {
    const repo = new RegistryClient({ auth: fixedAuth({ username: 'bob', password: 'nope' }) }).repository(reg.host, 'a/b', ['pull']);
    await assert.rejects(repo.getManifest('latest'), /unauthorized: incorrect username or password/);
  } finally { await reg.close(); }
});

test('insecure registries: loopback, listed names and CIDRs', () => {
  assert.equal(isInsecure('localhost:5000'), true);
  assert.equal(isInsecure('127.0.0.1:5000'), true);
  assert.equal(isInsecure('127.9.9.9'), true);
  assert.equal(isInsecure('registry.example:5000'), false);
  assert.equal(isInsecure('registry.example:5000', ['registry.example:5000']), true);
  assert.equal(isInsecure('10.1.2.3:5000', ['10.0.0.0/8']), true);
  assert.equal(isInsecure('11.1.2.3:5000', ['10.0.0.0/8']), false);
});

test('WWW-Authenticate challenges parse quoted and bare parameters', () => {
  assert.deepEqual(parseChallenge('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"'), {
    scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' },
  });
  assert.deepEqual(parseChallenge('Basic realm=basic-realm'), { scheme: 'basic', params: { realm: 'basic-realm' } });
  assert.equal(parseChallenge(undefined), undefined);
});

test('a mirror without the manifest is given up on: the request goes to the registry; a push skips mirrors', async () => {
  const reg = await tokenRegistry();
  const mirrorPaths: string[] = [];
  const mirror = http.createServer((req, res) => {
    mirrorPaths.push(req.url ?? '');
    res.writeHead(req.url === '/v2/' ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(req.url === '/v2/' ? '{}' : JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
  });
  await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', () => r()));
  try {
    const mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}`;
    const endpoints = { endpoints: async (host: string) => [{ url: mirrorUrl, host, mirror: true }, { url: `http://${reg.host}`, host, mirror: false }] };
    const client = new RegistryClient({ auth: fixedAuth({ username: 'bob', password: 'pw' }), endpoints });
    const m = await client.repository('docker.io', 'a/b', ['pull']).getManifest('latest');
    assert.equal(m.kind, 'image');
    assert.deepEqual(mirrorPaths, ['/v2/', '/v2/a/b/manifests/latest']);
    // a push session never asks the mirror
    mirrorPaths.length = 0;
    const fresh = new RegistryClient({ auth: fixedAuth({ username: 'bob', password: 'pw' }), endpoints });
    await fresh.repository('docker.io', 'a/b', ['pull', 'push']).getManifest('latest');
    assert.deepEqual(mirrorPaths, []);
  } finally {
    await new Promise<void>((r) => { mirror.closeAllConnections(); mirror.close(() => r()); });
    await reg.close();
  }
});
