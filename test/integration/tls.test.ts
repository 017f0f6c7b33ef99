/**
 * The API over TCP: only with TLS and verified client certificates (certificates made here with
 * openssl), through the berth CLI and the docker CLI; a client without a certificate, or with
 * one from another CA, is refused at the handshake; plain TCP only on loopback with
 * --insecure-tcp, with Docker's warning.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { BERTH, BERTHD, TestDaemon, run } from '../harness';

const dir = mkdtempSync(join(tmpdir(), 'berth-tls-'));
const f = (n: string) => join(dir, n);

async function freePort(): Promise<number> {
  return new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); }); });
}

async function openssl(args: string[]): Promise<void> {
  const r = await run('openssl', args);
  assert.equal(r.code, 0, r.stderr);
}

/** A CA, and a certificate signed by it for `name` (serverAuth with 127.0.0.1 / clientAuth). */
async function makeCa(ca: string): Promise<void> {
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${ca}`, '-keyout', f(`${ca}-key.pem`), '-out', f(`${ca}.pem`)]);
}
async function makeCert(ca: string, name: string, usage: 'serverAuth' | 'clientAuth'): Promise<void> {
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', f(`${name}-key.pem`), '-out', f(`${name}.csr`)]);
  const ext = f(`${name}.ext`);
  const text = usage === 'serverAuth' ? 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' : 'extendedKeyUsage=clientAuth\n';
  await run('sh', ['-c', `printf '${text}' > ${ext}`]);
  await openssl(['x509', '-req', '-in', f(`${name}.csr`), '-CA', f(`${ca}.pem`), '-CAkey', f(`${ca}-key.pem`), '-CAcreateserial', '-days', '1', '-extfile', ext, '-out', f(`${name}-cert.pem`)]);
}

let port = 0;
let d: TestDaemon;
before(async () => {
  await makeCa('ca');
  await makeCa('otherca');
  await makeCert('ca', 'server', 'serverAuth');
  await makeCert('ca', 'client', 'clientAuth');
  await makeCert('otherca', 'stranger', 'clientAuth');
  // A DOCKER_CERT_PATH layout: ca.pem, cert.pem, key.pem.
  await run('sh', ['-c', `mkdir ${f('certpath')} && cp ${f('ca.pem')} ${f('certpath/ca.pem')} && cp ${f('client-cert.pem')} ${f('certpath/cert.pem')} && cp ${f('client-key.pem')} ${f('certpath/key.pem')}`]);
  port = await freePort();
  d = new TestDaemon('tls', ['-H', `tcp://127.0.0.1:${port}`, '--tlsverify', '--tlscacert', f('ca.pem'), '--tlscert', f('server-cert.pem'), '--tlskey', f('server-key.pem')]);
  await d.start();
});
after(async () => { await d?.stop(); rmSync(dir, { recursive: true, force: true }); });

const tlsFlags = (cert = 'client') => ['--tlsverify', '--tlscacert', f('ca.pem'), '--tlscert', f(`${cert}-cert.pem`), '--tlskey', f(`${cert}-key.pem`)];
const berth = (args: string[], env: NodeJS.ProcessEnv = {}) => run(process.execPath, [BERTH, ...args], { env: { PATH: process.env.PATH, HOME: dir, ...env }, timeoutMs: 20_000 });

test('the berth CLI reaches the daemon over TLS with a client certificate (flags and DOCKER_* env)', async () => {
  const r = await berth(['-H', `tcp://127.0.0.1:${port}`, ...tlsFlags(), 'version', '--format', '{{.Server.ApiVersion}}']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\d+\.\d+\n$/);
  const env = await berth(['run', '--rm', 'busybox', 'echo', 'over-tls'], { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: f('certpath') });
  assert.equal(env.stdout, 'over-tls\n', env.stderr);
});

test('the docker CLI reaches it too', async () => {
  const r = await run('docker', ['--tlsverify', '--tlscacert', f('ca.pem'), '--tlscert', f('client-cert.pem'), '--tlskey', f('client-key.pem'), '-H', `tcp://127.0.0.1:${port}`, 'version', '--format', '{{.Server.Version}}'], { env: { PATH: process.env.PATH, HOME: dir } });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.trim().length > 0);
});

/** Opens a TLS connection and asks for /_ping: the HTTP answer, or the error that ended it. */
function ping(opts: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port, ca: opts.ca, servername: undefined, ...opts });
    let got = '';
    s.on('secureConnect', () => s.write('GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    s.on('data', (b) => { got += b; });
    s.on('error', (e) => resolve(`error: ${e.message}`));
    s.on('close', () => resolve(got || 'closed'));
  });
}

test('a client without a certificate, or with one from another CA, is refused at the handshake', async () => {
  const ca = require('node:fs').readFileSync(f('ca.pem'));
  const rd = (n: string) => require('node:fs').readFileSync(f(n));
  assert.match(await ping({ ca, cert: rd('client-cert.pem'), key: rd('client-key.pem') }), /^HTTP\/1.1 200 OK[\s\S]*OK$/);
  const none = await ping({ ca });
  assert.doesNotMatch(none, /HTTP\/1.1/);
  assert.match(none, /error: .*(certificate required|handshake|socket hang up|ECONNRESET)|closed/);
  const stranger = await ping({ ca, cert: rd('stranger-cert.pem'), key: rd('stranger-key.pem') });
  assert.doesNotMatch(stranger, /HTTP\/1.1/);
  const cli = await berth(['-H', `tcp://127.0.0.1:${port}`, '--tls', '--tlscacert', f('ca.pem'), 'version']);
  assert.notEqual(cli.code, 0);
  const cli2 = await berth(['-H', `tcp://127.0.0.1:${port}`, ...tlsFlags('stranger'), 'ps']);
  assert.notEqual(cli2.code, 0);
  // Plain HTTP to the TLS port gets no API either.
  const plain = await berth(['-H', `tcp://127.0.0.1:${port}`, 'ps']);
  assert.notEqual(plain.code, 0);
});

test('the unix socket is 0660 (group berth when the host has one)', () => {
  const st = statSync(d.socket);
  assert.equal(st.mode & 0o777, 0o660);
  const berthGroup = require('node:fs').readFileSync('/etc/group', 'utf8').split('\n').find((l: string) => l.startsWith('berth:'));
  assert.equal(st.gid, berthGroup ? Number(berthGroup.split(':')[2]) : 0);
});

/** Starts a berthd that is expected to refuse its flags before it starts anything. */
function refusedDaemon(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const root = mkdtempSync(join(tmpdir(), 'berth-tls-refused-'));
    require('node:fs').writeFileSync(join(root, 'none.json'), '{}');
    const p = spawn(process.execPath, [BERTHD, '--data-root', root, '--exec-root', join(root, 'exec'), '--bridge', 'btrefused0', '--config-file', join(root, 'none.json'), ...args]);
    let out = '';
    p.stdout.on('data', (b) => { out += b; });
    p.stderr.on('data', (b) => { out += b; });
    const t = setTimeout(() => p.kill('SIGTERM'), 10_000);
    p.on('exit', (code) => { clearTimeout(t); rmSync(root, { recursive: true, force: true }); resolve({ code, out }); });
  });
}

test('plain TCP is refused without --insecure-tcp, and off loopback even with it', async () => {
  const noTls = await refusedDaemon(['-H', 'tcp://127.0.0.1:0']);
  assert.equal(noTls.code, 1);
  assert.match(noTls.out, /refusing to listen on tcp:\/\/127.0.0.1:0 without --tlsverify/);
  const open = await refusedDaemon(['-H', 'tcp://0.0.0.0:23750', '--insecure-tcp']);
  assert.equal(open.code, 1);
  assert.match(open.out, /--insecure-tcp is allowed on loopback addresses only/);
});

test('--insecure-tcp on loopback serves plain HTTP with Docker\'s warning', async () => {
  const p2 = await freePort();
  const plain = new TestDaemon('tcp', ['-H', `tcp://127.0.0.1:${p2}`, '--insecure-tcp']);
  try {
    await plain.start();
    const r = await berth(['-H', `tcp://127.0.0.1:${p2}`, 'ps', '-q']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(plain.log, /Binding to IP address without --tlsverify is insecure and gives root access on this machine/);
  } finally { await plain.stop(); }
});
