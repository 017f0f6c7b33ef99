import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { EndpointConfig, canonicalHost } from './endpoint-config';

const loopbackInsecure = (h: string) => h.startsWith('127.') || h === 'insecure.example:5000';

test('docker.io: mirrors first in daemon.json order, then registry-1.docker.io', async () => {
  const cfg = new EndpointConfig({ mirrors: ['http://127.0.0.1:5001/', 'https://mirror.example'], isInsecure: loopbackInsecure, certsDir: '/nonexistent' });
  const eps = await cfg.endpoints('index.docker.io');
  assert.deepEqual(eps.map((e) => [e.url, e.mirror, e.host]), [
    ['http://127.0.0.1:5001', true, 'docker.io'],
    ['https://mirror.example', true, 'docker.io'],
    ['https://registry-1.docker.io', false, 'docker.io'],
  ]);
  assert.equal(eps[0].tls, undefined);
  assert.equal(eps[1].tls?.verify, true);
});

test('other registries: mirrors never apply; insecure ones get https without verification, then http', async () => {
  const cfg = new EndpointConfig({ mirrors: ['https://mirror.example'], isInsecure: loopbackInsecure, certsDir: '/nonexistent' });
  assert.deepEqual((await cfg.endpoints('insecure.example:5000')).map((e) => [e.url, e.tls?.verify]), [
    ['https://insecure.example:5000', false], ['http://insecure.example:5000', undefined],
  ]);
  const secure = await cfg.endpoints('secure.example');
  assert.deepEqual(secure.map((e) => [e.url, e.tls?.verify]), [['https://secure.example', true]]);
  assert.equal(secure[0].tls?.ca.length, rootCertificates.length);
});

test('certs.d: CAs are added to the system roots, a client pair is read, a lone key is refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-certsd-'));
  try {
    await mkdir(join(dir, 'reg.example:5000'));
    await writeFile(join(dir, 'reg.example:5000', 'ca.crt'), 'CA-PEM');
    await writeFile(join(dir, 'reg.example:5000', 'client.cert'), 'CERT-PEM');
    await writeFile(join(dir, 'reg.example:5000', 'client.key'), 'KEY-PEM');
    const cfg = new EndpointConfig({ isInsecure: () => false, certsDir: dir });
    const [ep] = await cfg.endpoints('reg.example:5000');
    assert.equal(ep.tls?.ca.at(-1), 'CA-PEM');
    assert.equal(ep.tls?.ca.length, rootCertificates.length + 1);
    assert.deepEqual([ep.tls?.cert, ep.tls?.key], ['CERT-PEM', 'KEY-PEM']);
    await mkdir(join(dir, 'lone:1'));
    await writeFile(join(dir, 'lone:1', 'client.key'), 'KEY-PEM');
    await assert.rejects(cfg.endpoints('lone:1'), /missing client certificate client\.cert for key client\.key/);
  } finally { await rm(dir, { recursive: true, force: true }); }
});

test('mirrors must be http(s) URLs without query', () => {
  assert.throws(() => new EndpointConfig({ mirrors: ['ftp://x'], isInsecure: () => false }), /unsupported scheme "ftp"/);
  assert.throws(() => new EndpointConfig({ mirrors: ['not a url'], isInsecure: () => false }), /is not a valid URI/);
  assert.throws(() => new EndpointConfig({ mirrors: ['https://m.example/?a=1'], isInsecure: () => false }), /query or fragment/);
  assert.equal(canonicalHost('registry-1.docker.io'), 'docker.io');
  assert.equal(canonicalHost('localhost:5000'), 'localhost:5000');
});
