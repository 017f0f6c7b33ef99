/**
 * Registry auth, login/logout, credential helpers, certs.d trust and search, against Debian's
 * docker-registry (distribution 2.8) started here: htpasswd basic auth over plain HTTP on
 * loopback, the same over TLS with a CA made here on the host's own non-loopback address
 * (so the certificate is verified), and bearer tokens from a token server written here.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { connect, createServer as createNet } from 'node:net';
import http from 'node:http';
import { createSign, randomUUID } from 'node:crypto';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { BERTH, TestDaemon, run } from '../harness';

const d = new TestDaemon('rauth');
const procs: ChildProcess[] = [];
const servers: http.Server[] = [];
let tmp = '';
let certsDir = '';
let hubRequests: string[] = [];
const USER = 'berthuser';
const PASS = 'berth-secret-1';
/** A token-server account that gets refresh tokens (Docker's identity tokens) when it asks for offline access. */
const OAUTH_USER = 'oauthuser';
const OAUTH_PASS = 'oauth-secret';
const refreshTokens = new Set<string>();
const refreshGrants: string[] = [];
const reg = { basic: '', tls: '', token: '', mirror: '' };

const ok = (r: { code: number; stderr: string; stdout: string }) => assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createNet().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => res(p)); });
    s.on('error', rej);
  });
}

function hostIp(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error('no non-loopback IPv4 address for the TLS registry');
}

async function sh(cmd: string): Promise<string> {
  const r = await run('sh', ['-ec', cmd]);
  assert.equal(r.code, 0, `${cmd}: ${r.stderr}`);
  return r.stdout;
}

/** Starts docker-registry with `<tmp>/<name>/config.yml` and waits until addr accepts connections. */
async function startRegistry(name: string, addr: string, extra: string): Promise<void> {
  const dir = join(tmp, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.yml'), `version: 0.1
log: { level: error }
storage: { filesystem: { rootdirectory: ${dir}/data } }
${extra}
`);
  const p = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  p.stderr!.on('data', (b) => { log += b; });
  procs.push(p);
  const [host, port] = [addr.replace(/:\d+$/, ''), Number(addr.split(':').pop())];
  for (let i = 0; i < 100; i++) {
    if (p.exitCode !== null) throw new Error(`registry ${name} exited: ${log}`);
    const up = await new Promise<boolean>((res) => {
      const s = connect(port, host, () => { s.destroy(); res(true); });
      s.on('error', () => res(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`registry ${name} did not listen: ${log}`);
}

function b64url(x: string | Buffer): string { return Buffer.from(x).toString('base64url'); }

/** A token server as distribution expects: RS256 JWTs with the signing cert in x5c. */
async function startTokenServer(port: number, keyPem: string, certDer: Buffer): Promise<void> {
  const srv = http.createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    const u = new URL(req.url ?? '/', 'http://x');
    const form = new URLSearchParams(req.method === 'POST' ? body : '');
    let [user, pass] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
    if (form.get('grant_type') === 'refresh_token' && refreshTokens.has(form.get('refresh_token') ?? '')) {
      refreshGrants.push(form.get('scope') ?? '');
      [user, pass] = [OAUTH_USER, OAUTH_PASS];
    }
    if (!(user === USER && pass === PASS) && !(user === OAUTH_USER && pass === OAUTH_PASS)) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad username or password' }] }));
      return;
    }
    let refresh: string | undefined;
    if (user === OAUTH_USER && u.searchParams.get('offline_token') === 'true') refreshTokens.add(refresh = `rt-${randomUUID()}`);
    const access = [...u.searchParams.getAll('scope'), ...form.getAll('scope')].map((s) => {
      const [type, name, actions] = s.split(':');
      return { type, name, actions: actions.split(',') };
    });
    const now = Math.floor(Date.now() / 1000);
    const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] }));
    const claims = b64url(JSON.stringify({ iss: 'berth-test-issuer', sub: user, aud: 'berth-test', exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access }));
    const sig = createSign('RSA-SHA256').update(`${head}.${claims}`).sign(keyPem);
    const token = `${head}.${claims}.${b64url(sig)}`;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300, ...(refresh ? { refresh_token: refresh } : {}) }));
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
}

/** A Docker Hub search API stand-in, pointed at through BERTH_TEST_HUB_INDEX. */
async function startFakeHub(port: number): Promise<void> {
  const srv = http.createServer((req, res) => {
    hubRequests.push(req.url ?? '');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ num_results: 3, query: 'busybox', results: [
      { name: 'busybox', description: 'Busybox base image.', star_count: 3100, is_official: true, is_automated: false },
      { name: 'someone/busybox-with-a-very-long-name', description: 'A description that is much longer than forty-five characters\nwith a newline', star_count: 12, is_official: false, is_automated: true },
      { name: 'other/busybox', description: '', star_count: 0, is_official: false, is_automated: false },
    ] }));
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
}

/** The berth CLI against the test daemon with its own docker config dir and PATH. */
function berth(args: string[], opts: { input?: string; config?: string } = {}) {
  return run(process.execPath, [BERTH, '-H', d.host, ...args], {
    input: opts.input, env: { DOCKER_CONFIG: opts.config ?? join(tmp, 'dockercfg'), PATH: `${join(tmp, 'bin')}:${process.env.PATH}` },
  });
}

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'berth-rauth-'));
  const ip = hostIp();
  const [pBasic, pTls, pToken, pTokSrv, pHub, pMirror] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  reg.mirror = `127.0.0.1:${pMirror}`;
  reg.basic = `127.0.0.1:${pBasic}`;
  reg.tls = `${ip}:${pTls}`;
  reg.token = `127.0.0.1:${pToken}`;
  await sh(`cd ${tmp}
    htpasswd -Bbn ${USER} ${PASS} > htpasswd
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=berth-test-ca -keyout ca.key -out ca.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj /CN=${ip} -keyout srv.key -out srv.csr 2>/dev/null
    printf 'subjectAltName=IP:${ip}\\n' > san.ext
    openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out srv.crt 2>/dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=berth-token -keyout token.key -out token.crt 2>/dev/null
    openssl x509 -in token.crt -outform der -out token.der`);
  const htpasswd = `auth: { htpasswd: { realm: basic-realm, path: ${tmp}/htpasswd } }`;
  await startTokenServer(pTokSrv, await readFile(join(tmp, 'token.key'), 'utf8'), await readFile(join(tmp, 'token.der')));
  await startFakeHub(pHub);
  await Promise.all([
    startRegistry('basic', reg.basic, `http: { addr: "${reg.basic}" }\n${htpasswd}`),
    startRegistry('tls', reg.tls, `http: { addr: "${reg.tls}", tls: { certificate: ${tmp}/srv.crt, key: ${tmp}/srv.key } }\n${htpasswd}`),
    startRegistry('mirror', reg.mirror, `http: { addr: "${reg.mirror}" }`),
    startRegistry('token', reg.token, `http: { addr: "${reg.token}" }\nauth: { token: { realm: "http://127.0.0.1:${pTokSrv}/token", service: berth-test, issuer: berth-test-issuer, rootcertbundle: ${tmp}/token.crt } }`),
  ]);
  // A credential helper keeping secrets in a file, logging each call.
  await mkdir(join(tmp, 'bin'));
  await writeFile(join(tmp, 'bin', 'docker-credential-berthtest'), `#!/bin/sh
store=${tmp}/helper-store
echo "$1" >> ${tmp}/helper-calls
case "$1" in
  store) cat > "$store.json" ;;
  get) read url; if [ -f "$store.json" ]; then cat "$store.json"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  erase) rm -f "$store.json" ;;
esac
`);
  await chmod(join(tmp, 'bin', 'docker-credential-berthtest'), 0o755);
  // Images for the catalogs, written with skopeo from a berth-made busybox archive.
  process.env.BERTH_TEST_HUB_INDEX = `http://127.0.0.1:${pHub}`;
  // The daemon's own daemon.json: the mirror registry for docker.io (Docker Hub itself is unreachable here).
  d.dataRoot = await mkdtemp(join(tmpdir(), 'berth-rauth-data-'));
  d.execRoot = await mkdtemp('/run/berth-rauth-');
  await writeFile(join(d.dataRoot, 'daemon.json'), JSON.stringify({ 'registry-mirrors': [`http://${reg.mirror}`] }));
  await d.start();
  delete process.env.BERTH_TEST_HUB_INDEX;
  ok(await berth(['save', '-o', join(tmp, 'busybox.tar'), 'busybox:latest']));
  await sh(`skopeo copy -q --dest-tls-verify=false docker-archive:${tmp}/busybox.tar docker://${reg.mirror}/library/busybox:from-mirror`);
  for (const repo of ['team/alpha', 'team/beta', 'other/gamma']) {
    await sh(`skopeo copy -q --dest-tls-verify=false --dest-creds ${USER}:${PASS} docker-archive:${tmp}/busybox.tar docker://${reg.basic}/${repo}:1`);
  }
  certsDir = join('/etc/berth/certs.d', reg.tls);
});

after(async () => {
  await d.stop();
  for (const p of procs) if (p.exitCode === null) { p.kill('SIGTERM'); }
  for (const s of servers) s.close();
  if (certsDir) await rm(certsDir, { recursive: true, force: true });
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('POST /auth: basic auth over http on loopback, right and wrong passwords', async () => {
  const good = await d.api('POST', '/auth', { username: USER, password: PASS, serveraddress: reg.basic });
  assert.equal(good.status, 200, good.body);
  assert.deepEqual(good.json, { Status: 'Login Succeeded', IdentityToken: '' });
  const bad = await d.api('POST', '/auth', { username: USER, password: 'nope', serveraddress: `http://${reg.basic}/` });
  assert.equal(bad.status, 401);
  assert.equal(bad.json.message, `login attempt to http://${reg.basic}/v2/ failed with status: 401 Unauthorized`);
  const port = await freePort();
  const down = await d.api('POST', '/auth', { username: USER, password: PASS, serveraddress: `127.0.0.1:${port}` });
  assert.equal(down.status, 500);
  assert.equal(down.json.message, `Get "http://127.0.0.1:${port}/v2/": dial tcp 127.0.0.1:${port}: connect: connection refused`);
  const noUser = await d.api('POST', '/auth', { serveraddress: reg.basic });
  assert.equal(noUser.status, 400);
});

test('POST /auth: bearer tokens from a token server', async () => {
  const good = await d.api('POST', '/auth', { username: USER, password: PASS, serveraddress: reg.token });
  assert.equal(good.status, 200, good.body);
  assert.equal(good.json.Status, 'Login Succeeded');
  const bad = await d.api('POST', '/auth', { username: USER, password: 'nope', serveraddress: reg.token });
  assert.equal(bad.status, 401);
  assert.equal(bad.json.message, `Get "http://${reg.token}/v2/": unauthorized: bad username or password`);
});

test('POST /auth: TLS is verified, and trusted through certs.d/<host:port>/ca.crt', async () => {
  const untrusted = await d.api('POST', '/auth', { username: USER, password: PASS, serveraddress: reg.tls });
  assert.equal(untrusted.status, 500);
  assert.equal(untrusted.json.message, `Get "https://${reg.tls}/v2/": x509: certificate signed by unknown authority`);
  await mkdir(certsDir, { recursive: true });
  await writeFile(join(certsDir, 'ca.crt'), await readFile(join(tmp, 'ca.crt')));
  const trusted = await d.api('POST', '/auth', { username: USER, password: PASS, serveraddress: `https://${reg.tls}` });
  assert.equal(trusted.status, 200, trusted.body);
  const wrong = await d.api('POST', '/auth', { username: 'x', password: PASS, serveraddress: reg.tls });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.message, `login attempt to https://${reg.tls}/v2/ failed with status: 401 Unauthorized`);
});

test('berth login/logout keep credentials in config.json as docker does', async () => {
  const cfg = join(tmp, 'cfg-file');
  const bad = await berth(['login', '-u', USER, '--password-stdin', reg.basic], { input: 'wrong\n', config: cfg });
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim(), `Error response from daemon: login attempt to http://${reg.basic}/v2/ failed with status: 401 Unauthorized`);
  const warned = await berth(['login', '-u', USER, '-p', PASS, reg.basic], { config: cfg });
  ok(warned);
  assert.match(warned.stderr, /^WARNING! Using --password via the CLI is insecure\. Use --password-stdin\.\n/);
  assert.equal(warned.stderr, `WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n\nWARNING! Your credentials are stored unencrypted in '${cfg}/config.json'.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n`);
  assert.equal(warned.stdout, 'Login Succeeded\n');
  const saved = JSON.parse(await readFile(join(cfg, 'config.json'), 'utf8'));
  assert.deepEqual(saved.auths, { [reg.basic]: { auth: Buffer.from(`${USER}:${PASS}`).toString('base64') } });
  // No flags: the stored credentials are tried first.
  const again = await berth(['login', reg.basic], { config: cfg });
  ok(again);
  assert.equal(again.stdout, 'Login Succeeded\n');
  assert.equal(again.stderr, `Authenticating with existing credentials... [Username: ${USER}]\n\n Info -> To login with a different account, run 'berth logout' followed by 'berth login'\n\n\n`);
  // Search of the private catalog sends them (the registry refuses anonymous reads).
  const search = await berth(['search', `${reg.basic}/team`], { config: cfg });
  ok(search);
  assert.deepEqual(search.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/)), [
    ['NAME', 'DESCRIPTION', 'STARS', 'OFFICIAL'], [`${reg.basic}/team/alpha`, '0'], [`${reg.basic}/team/beta`, '0'],
  ]);
  const out = await berth(['logout', reg.basic], { config: cfg });
  ok(out);
  assert.equal(out.stdout, `Removing login credentials for ${reg.basic}\n`);
  assert.deepEqual(JSON.parse(await readFile(join(cfg, 'config.json'), 'utf8')).auths, {});
  assert.equal((await berth(['logout', reg.basic], { config: cfg })).stdout, `Removing login credentials for ${reg.basic}\n`);
  const anon = await berth(['search', `${reg.basic}/team`], { config: cfg });
  assert.equal(anon.code, 1);
  assert.equal(anon.stderr.trim(), 'Error response from daemon: unauthorized: authentication required');
  const missing = join(tmp, 'cfg-missing-helper');
  await mkdir(missing);
  await writeFile(join(missing, 'config.json'), JSON.stringify({ credsStore: 'nonexist' }));
  const noHelper = await berth(['login', '-u', USER, '--password-stdin', reg.basic], { input: PASS, config: missing });
  assert.equal(noHelper.code, 1);
  assert.equal(noHelper.stderr, 'Error saving credentials: error storing credentials - err: exec: "docker-credential-nonexist": executable file not found in $PATH, out: ``\n');
  const noTty = await berth(['login', reg.basic], { config: cfg });
  assert.equal(noTty.code, 1);
  assert.match(noTty.stderr, /Cannot perform an interactive login from a non TTY device/);
});

test('credHelpers: login stores through docker-credential-<name>, logout erases', async () => {
  const cfg = join(tmp, 'cfg-helper');
  await mkdir(cfg, { recursive: true });
  await writeFile(join(cfg, 'config.json'), JSON.stringify({ credHelpers: { [reg.token]: 'berthtest' } }));
  const r = await berth(['login', '-u', USER, '--password-stdin', reg.token], { input: `${PASS}\n`, config: cfg });
  ok(r);
  assert.equal(r.stdout, 'Login Succeeded\n');
  assert.equal(r.stderr, '');
  assert.deepEqual(JSON.parse(await readFile(join(tmp, 'helper-store.json'), 'utf8')), { ServerURL: reg.token, Username: USER, Secret: PASS });
  const saved = JSON.parse(await readFile(join(cfg, 'config.json'), 'utf8'));
  assert.deepEqual(saved.auths, { [reg.token]: {} });
  // The helper's credentials reach the registry: _catalog over a bearer token.
  const s = await berth(['search', '--format', '{{.Name}}', `${reg.token}/nothing-here`], { config: cfg });
  ok(s);
  assert.equal(s.stdout, '');
  const out = await berth(['logout', reg.token], { config: cfg });
  ok(out);
  assert.equal(out.stdout, `Removing login credentials for ${reg.token}\n`);
  assert.deepEqual((await readFile(join(tmp, 'helper-calls'), 'utf8')).trim().split('\n'), ['store', 'get', 'erase']);
  await assert.rejects(readFile(join(tmp, 'helper-store.json')), /ENOENT/);
});

test('search: Docker Hub through its search API, with filters, limit and truncation', async () => {
  const r = await berth(['search', 'busybox']);
  ok(r);
  assert.equal(r.stdout, [
    'NAME                                    DESCRIPTION                                     STARS     OFFICIAL',
    'busybox                                 Busybox base image.                             3100      [OK]',
    'someone/busybox-with-a-very-long-name   A description that is much longer than forty…   12        ',
    'other/busybox                                                                           0         ',
    '',
  ].join('\n'));
  assert.equal(hubRequests.at(-1), '/v1/search?q=busybox&n=25');
  const f = await berth(['search', '--filter', 'stars=10', '--filter', 'is-official=false', '--no-trunc', '--format', '{{.Name}}|{{.Description}}', 'busybox']);
  ok(f);
  assert.equal(f.stdout, 'someone/busybox-with-a-very-long-name|A description that is much longer than forty-five characters with a newline\n');
  const json = await berth(['search', '--limit', '1', '--format', 'json', 'busybox']);
  ok(json);
  assert.equal(json.stdout, '{"Description":"Busybox base image.","IsOfficial":"true","Name":"busybox","StarCount":"3100"}\n');
  const lim = await d.api('GET', '/images/search?term=busybox&limit=1');
  assert.deepEqual(lim.json.map((x: { name: string }) => x.name), ['busybox']);
  assert.equal((await d.api('GET', '/images/search?term=busybox&limit=101')).json.message, 'Limit 101 is outside the range of [1, 100]');
  assert.equal((await d.api('GET', `/images/search?term=busybox&filters=${encodeURIComponent('{"color":{"red":true}}')}`)).json.message, "Invalid filter 'color'");
  assert.equal((await d.api('GET', `/images/search?term=busybox&filters=${encodeURIComponent('{"stars":{"many":true}}')}`)).json.message, "Invalid filter 'stars=many'");
});

test('search: a private registry catalog, and a registry that is down', async () => {
  const r = await d.api('GET', `/images/search?term=${encodeURIComponent(`${reg.basic}/a`)}`, undefined, {
    'X-Registry-Auth': Buffer.from(JSON.stringify({ username: USER, password: PASS })).toString('base64url'),
  });
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(r.json, [
    { description: '', is_official: false, is_automated: false, name: `${reg.basic}/other/gamma`, star_count: 0 },
    { description: '', is_official: false, is_automated: false, name: `${reg.basic}/team/alpha`, star_count: 0 },
    { description: '', is_official: false, is_automated: false, name: `${reg.basic}/team/beta`, star_count: 0 },
  ]);
  const port = await freePort();
  const down = await berth(['search', `127.0.0.1:${port}/x`]);
  assert.equal(down.code, 1);
  assert.equal(down.stderr.trim(), `Error response from daemon: Get "http://127.0.0.1:${port}/v2/_catalog?n=1000": dial tcp 127.0.0.1:${port}: connect: connection refused`);
});

test('the docker CLI logs in and searches through berthd', { skip: !process.env.PATH?.split(':').some((p) => existsSync(join(p, 'docker'))) }, async () => {
  const env = { DOCKER_CONFIG: join(tmp, 'cfg-docker') };
  const bad = await run('docker', ['-H', d.host, 'login', '-u', USER, '--password-stdin', reg.basic], { input: 'wrong', env });
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim(), `Error response from daemon: login attempt to http://${reg.basic}/v2/ failed with status: 401 Unauthorized`);
  const good = await run('docker', ['-H', d.host, 'login', '-u', USER, '--password-stdin', reg.token], { input: PASS, env });
  ok(good);
  assert.equal(good.stdout.trim(), 'Login Succeeded');
  const s = await run('docker', ['-H', d.host, 'search', '--limit', '2', '--format', '{{.Name}} {{.StarCount}} {{.IsOfficial}}', 'busybox'], { env });
  ok(s);
  assert.equal(s.stdout, 'busybox 3100 [OK]\nsomeone/busybox-with-a-very-long-name 12 \n');
});

test('identity tokens: a refresh token from login is kept instead of the password and exchanged for bearer tokens', async () => {
  const api = await d.api('POST', '/auth', { username: OAUTH_USER, password: OAUTH_PASS, serveraddress: reg.token });
  assert.equal(api.status, 200, api.body);
  assert.match(api.json.IdentityToken, /^rt-/);
  const cfg = join(tmp, 'cfg-oauth');
  ok(await berth(['login', '-u', OAUTH_USER, '--password-stdin', reg.token], { input: OAUTH_PASS, config: cfg }));
  const entry = JSON.parse(await readFile(join(cfg, 'config.json'), 'utf8')).auths[reg.token];
  assert.equal(entry.auth, Buffer.from(`${OAUTH_USER}:`).toString('base64'));
  assert.ok(refreshTokens.has(entry.identitytoken), JSON.stringify(entry));
  const s = await berth(['search', `${reg.token}/x`], { config: cfg });
  ok(s);
  assert.deepEqual(refreshGrants, ['registry:catalog:*']);
  refreshTokens.clear();
  const revoked = await berth(['search', `${reg.token}/x`], { config: cfg });
  assert.equal(revoked.code, 1);
  assert.equal(revoked.stderr.trim(), 'Error response from daemon: unauthorized: bad username or password');
});

test('pull and push send the credentials berth login saved', async () => {
  const cfg = join(tmp, 'cfg-pushpull');
  const name = `${reg.basic}/team/pushed:1`;
  ok(await berth(['tag', 'busybox:latest', name], { config: cfg }));
  const anon = await berth(['push', name], { config: cfg });
  assert.equal(anon.code, 1);
  assert.match(anon.stderr, /no basic auth credentials|unauthorized|authentication required/);
  ok(await berth(['login', '-u', USER, '--password-stdin', reg.basic], { input: PASS, config: cfg }));
  ok(await berth(['push', name], { config: cfg }));
  ok(await berth(['rmi', name], { config: cfg }));
  const pulled = await berth(['pull', name], { config: cfg });
  ok(pulled);
  assert.match(pulled.stdout, new RegExp(`Status: Downloaded newer image for ${name.replace(/\./g, '\\.')}`));
  ok(await berth(['rmi', name], { config: cfg }));
});

test('registry-mirrors: a docker.io name is pulled from the mirror while Docker Hub is unreachable', async () => {
  const r = await berth(['pull', 'busybox:from-mirror']);
  ok(r);
  assert.match(r.stdout, /Status: Downloaded newer image for busybox:from-mirror\ndocker\.io\/library\/busybox:from-mirror\n$/);
  const img = await d.api('GET', '/images/busybox:from-mirror/json');
  assert.equal(img.status, 200);
  assert.ok(img.json.RepoTags.includes('busybox:from-mirror'), img.body);
  ok(await berth(['rmi', 'busybox:from-mirror']));
  const missing = await berth(['pull', 'busybox:not-on-the-mirror']);
  assert.equal(missing.code, 1);
});

test('berth login on a terminal prompts for the username and a password it does not echo', async () => {
  const cfg = join(tmp, 'cfg-tty');
  const cmd = `${process.execPath} ${BERTH} -H ${d.host} login ${reg.basic}`;
  // Typed after the prompt appears (the terminal itself echoes what comes earlier, before berth owns it).
  const typing = `sleep 1.5; printf '%s\\n' ${USER}; sleep 0.3; printf '%s\\n' ${PASS}`;
  const r = await run('sh', ['-c', `(${typing}) | script -qec '${cmd}' /dev/null`], { env: { DOCKER_CONFIG: cfg } });
  ok(r);
  const screen = r.stdout.replace(/\r/g, '');
  assert.match(screen, new RegExp(`^Username: ${USER}\nPassword: \n`));
  assert.ok(!screen.includes(PASS), screen);
  assert.match(screen, /Login Succeeded\n$/);
  const saved = JSON.parse(await readFile(join(cfg, 'config.json'), 'utf8'));
  assert.equal(saved.auths[reg.basic].auth, Buffer.from(`${USER}:${PASS}`).toString('base64'));
});
