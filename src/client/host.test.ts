import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SOCKET, parseHost, resolveHost } from './host';
import { scratchDir } from '../lib/testing/scratch-dir';

test('host comes from -H, then BERTH_HOST, then DOCKER_HOST, else the default socket', () => {
  assert.equal(resolveHost('unix:///a.sock', { BERTH_HOST: 'unix:///b.sock' }).socketPath, '/a.sock');
  assert.equal(resolveHost(undefined, { BERTH_HOST: 'unix:///b.sock', DOCKER_HOST: 'unix:///c.sock' }).socketPath, '/b.sock');
  assert.equal(resolveHost(undefined, { DOCKER_HOST: 'unix:///c.sock' }).socketPath, '/c.sock');
  assert.deepEqual(resolveHost(undefined, { DOCKER_HOST: 'tcp://1.2.3.4' }).tcp, { host: '1.2.3.4', port: 2375 });
  assert.equal(resolveHost(undefined, {}).url, `unix://${DEFAULT_SOCKET}`);
  assert.throws(() => parseHost('ssh://me@host'), /unsupported host protocol/);
});

test('TLS as the docker CLI: --tlsverify or DOCKER_TLS_VERIFY, certs from DOCKER_CERT_PATH, port 2376', () => {
  const dir = scratchDir('berth-certs-');
  for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, f), f);
  const h = resolveHost('tcp://127.0.0.1', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir });
  assert.equal(h.url, 'tcp://127.0.0.1:2376');
  assert.equal(h.tls?.verify, true);
  assert.equal(h.tls?.ca?.toString(), 'ca.pem');
  assert.equal(h.tls?.key?.toString(), 'key.pem');
  assert.equal(resolveHost('tcp://127.0.0.1:9', { DOCKER_CERT_PATH: dir }, { tls: true }).tls?.verify, false);
  assert.equal(resolveHost('tcp://127.0.0.1:9', { DOCKER_CERT_PATH: dir }).tls, undefined);
  assert.throws(() => resolveHost('tcp://127.0.0.1:9', {}, { tlsverify: true, tlscacert: join(dir, 'nope.pem') }), /could not read CA certificate/);
});
