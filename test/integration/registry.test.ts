import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BERTH, TestDaemon, run } from '../harness';

/**
 * Pull and push against Debian's docker-registry (distribution 2.8) on 127.0.0.1, plain
 * HTTP (a loopback registry is insecure by Docker's rule); skopeo reads what berth pushed
 * and writes what berth pulls.
 */
const d = new TestDaemon('reg');
let tmp = '';
let registry: ChildProcess | undefined;
let port = 0;
let reg = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
    s.once('error', reject);
  });
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) => http.get(url, (res) => { res.resume(); r(res.statusCode === 200); }).once('error', () => r(false)));
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'berth-registry-test-'));
  port = await freePort();
  reg = `127.0.0.1:${port}`;
  const cfg = join(tmp, 'config.yml');
  await writeFile(cfg, [
    'version: 0.1', 'log:', '  level: error', 'storage:', '  filesystem:', `    rootdirectory: ${join(tmp, 'storage')}`,
    '  delete:', '    enabled: true', 'http:', `  addr: ${reg}`, '',
  ].join('\n'));
  registry = spawn('docker-registry', ['serve', cfg], { stdio: 'ignore' });
  await waitFor(`http://${reg}/v2/`);
  await d.start();
});

after(async () => {
  await d.stop();
  if (registry?.pid && registry.exitCode === null) {
    await new Promise<void>((r) => { registry!.once('exit', () => r()); process.kill(registry!.pid!, 'SIGTERM'); });
  }
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function inspect(ref: string): Promise<any> {
  const r = await d.api('GET', `/images/${ref}/json`);
  assert.equal(r.status, 200, r.body);
  return r.json;
}

/** Layers and blobs on disk: a failed pull must leave these as they were. */
async function storeState(): Promise<string[]> {
  const layers = await readdir(join(d.dataRoot, 'overlay', 'layers')).catch(() => []);
  const tmpDirs = await readdir(join(d.dataRoot, 'overlay', 'tmp')).catch(() => []);
  return [...layers.map((l) => `layer ${l}`), ...tmpDirs.map((t) => `tmp ${t}`)].sort();
}

/** A committed image over busybox with a new layer of random bytes: pulls of it download something. */
async function makeImage(tag: string, kb: number): Promise<string> {
  const c = `regtest-${process.pid}-${tag.replace(/[^a-z0-9]/g, '')}`;
  const r = await d.cli(['run', '--name', c, 'busybox', 'sh', '-c', `head -c ${kb * 1024} /dev/urandom > /random && echo ${tag} > /tag`]);
  assert.equal(r.code, 0, r.stderr);
  const cm = await d.cli(['commit', c, tag]);
  assert.equal(cm.code, 0, cm.stderr);
  await d.cli(['rm', c]);
  return (await inspect(tag)).Id;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('push an image, remove it, pull it back: same ID, RepoDigests set, skopeo reads the manifest', async () => {
  const t0 = Math.floor(Date.now() / 1000) - 1;
  const name = `${reg}/berth/two-layers`;
  const id = await makeImage(`${name}:v1`, 512);
  const push = await d.cli(['push', `${name}:v1`]);
  assert.equal(push.code, 0, push.stderr);
  assert.match(push.stdout, new RegExp(`^The push refers to repository \\[${esc(name)}\\]$`, 'm'));
  assert.equal(push.stdout.match(/^[0-9a-f]{12}: Preparing$/mg)?.length, 2, push.stdout);
  assert.equal(push.stdout.match(/^[0-9a-f]{12}: Pushed$/mg)?.length, 2, push.stdout);
  const m = /^v1: digest: (sha256:[0-9a-f]{64}) size: (\d+)$/m.exec(push.stdout);
  assert.ok(m, push.stdout);
  assert.deepEqual((await inspect(`${name}:v1`)).RepoDigests, [`${name}@${m[1]}`]);

  const sk = await run('skopeo', ['inspect', '--tls-verify=false', `docker://${name}:v1`]);
  assert.equal(sk.code, 0, sk.stderr);
  const info = JSON.parse(sk.stdout);
  assert.equal(info.Digest, m[1]);
  assert.equal(info.Architecture, 'amd64');
  assert.equal(info.Layers.length, 2);
  const raw = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${name}:v1`]);
  assert.equal(raw.stdout.length, Number(m[2]));
  assert.equal(JSON.parse(raw.stdout).mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
  // skopeo copies it out and the layers' content checks out against the config's diff_ids
  const out = join(tmp, 'pushed-oci');
  const cp = await run('skopeo', ['copy', '--src-tls-verify=false', `docker://${name}:v1`, `oci:${out}:v1`]);
  assert.equal(cp.code, 0, cp.stderr);

  // a second push finds every layer in the registry; another repository mounts them
  const again = await d.cli(['push', `${name}:v1`]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout.match(/: Layer already exists$/mg)?.length, 2, again.stdout);
  assert.match(again.stdout, new RegExp(`^v1: digest: ${m[1]} size: ${m[2]}$`, 'm'));
  assert.equal((await d.cli(['tag', `${name}:v1`, `${reg}/other/copy:v1`])).code, 0);
  const mount = await d.cli(['push', `${reg}/other/copy:v1`]);
  assert.equal(mount.code, 0, mount.stderr);
  assert.equal(mount.stdout.match(/: Mounted from berth\/two-layers$/mg)?.length, 2, mount.stdout);
  assert.equal((await d.cli(['rmi', `${reg}/other/copy:v1`])).code, 0);

  // rmi (the image goes, its own layer too), then pull it back
  const rmi = await d.cli(['rmi', `${name}:v1`]);
  assert.equal(rmi.code, 0, rmi.stderr);
  assert.match(rmi.stdout, /^Deleted: /m);
  const pull = await d.cli(['pull', `${name}:v1`]);
  assert.equal(pull.code, 0, pull.stderr);
  assert.match(pull.stdout, /^v1: Pulling from berth\/two-layers$/m);
  assert.equal(pull.stdout.match(/^[0-9a-f]{12}: Already exists$/mg)?.length, 1, pull.stdout);
  assert.equal(pull.stdout.match(/^[0-9a-f]{12}: Pull complete$/mg)?.length, 1, pull.stdout);
  assert.match(pull.stdout, new RegExp(`^Digest: ${m[1]}$`, 'm'));
  assert.match(pull.stdout, new RegExp(`^Status: Downloaded newer image for ${esc(name)}:v1$`, 'm'));
  assert.match(pull.stdout, new RegExp(`^${esc(name)}:v1$`, 'm'));
  const img = await inspect(`${name}:v1`);
  assert.equal(img.Id, id);
  assert.deepEqual(img.RepoDigests, [`${name}@${m[1]}`]);
  const cat = await d.cli(['run', '--rm', `${name}:v1`, 'cat', '/tag']);
  assert.equal(cat.stdout, `${name}:v1\n`, cat.stderr);

  const upToDate = await d.cli(['pull', `${name}:v1`]);
  assert.match(upToDate.stdout, new RegExp(`^Status: Image is up to date for ${esc(name)}:v1$`, 'm'));
  const byDigest = await d.cli(['pull', `${name}@${m[1]}`]);
  assert.equal(byDigest.code, 0, byDigest.stderr);
  assert.match(byDigest.stdout, new RegExp(`^${m[1]}: Pulling from berth/two-layers$`, 'm'));
  assert.match(byDigest.stdout, new RegExp(`^${esc(name)}@${m[1]}$`, 'm'));

  // Docker's image events: Actor.ID the familiar reference, attribute name the repository
  const ev = await d.api('GET', `/events?since=${t0}&until=${Date.now() / 1000}&filters=${encodeURIComponent(JSON.stringify({ type: ['image'] }))}`);
  const seen = ev.body.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)).map((e) => `${e.Action} ${e.Actor.ID} ${e.Actor.Attributes.name}`);
  assert.ok(seen.includes(`push ${name}:v1 ${name}`), seen.join('\n'));
  assert.ok(seen.includes(`pull ${name}:v1 ${name}`), seen.join('\n'));
});

test('an image skopeo wrote from a docker-archive pulls, runs, and matches the archive', async () => {
  const name = `${reg}/skopeo/written`;
  const archive = join(tmp, 'bb.tar');
  const save = await d.cli(['save', '-o', archive, 'busybox']);
  assert.equal(save.code, 0, save.stderr);
  const cp = await run('skopeo', ['copy', '--dest-tls-verify=false', `docker-archive:${archive}`, `docker://${name}:latest`]);
  assert.equal(cp.code, 0, cp.stderr);
  const pull = await d.cli(['pull', name]);
  assert.equal(pull.code, 0, pull.stderr);
  assert.match(pull.stdout, /^Using default tag: latest$/m);
  // the same image as busybox: nothing to download, as Docker finds the image ID present
  assert.doesNotMatch(pull.stdout, /Pulling fs layer/);
  assert.equal((await inspect(name)).Id, (await inspect('busybox')).Id);
  const r = await d.cli(['run', '--rm', name, 'echo', 'pulled']);
  assert.equal(r.stdout, 'pulled\n', r.stderr);
});

test('missing repositories and tags: Docker\'s words, no image or layer left', async () => {
  const before = await storeState();
  const noRepo = await d.cli(['pull', `${reg}/nope/nothing:latest`]);
  assert.equal(noRepo.code, 1);
  assert.equal(noRepo.stderr, `Error response from daemon: manifest for ${reg}/nope/nothing:latest not found: manifest unknown: manifest unknown\n`);
  const noTag = await d.cli(['pull', `${reg}/berth/busybox:nosuchtag`]);
  assert.equal(noTag.code, 1);
  assert.match(noTag.stderr, new RegExp(`Error response from daemon: manifest for ${reg}/berth/busybox:nosuchtag not found: manifest unknown: manifest unknown`));
  const api = await d.api('POST', `/images/create?fromImage=${reg}/berth/busybox&tag=nosuchtag`);
  assert.equal(api.status, 404);
  assert.deepEqual(await storeState(), before);
  // Docker names the repository, then reports the missing image in the stream
  const noLocal = await d.cli(['push', `${reg}/not/here:latest`]);
  assert.equal(noLocal.code, 1);
  assert.equal(noLocal.stdout, `The push refers to repository [${reg}/not/here]\n`);
  assert.equal(noLocal.stderr, `An image does not exist locally with the tag: ${reg}/not/here\n`);
  const down = await d.cli(['pull', '127.0.0.1:1/x']);
  assert.equal(down.code, 1);
  assert.equal(down.stderr, 'Error response from daemon: Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused\n');
});

/** The registry's manifest of ref (`repo:tag`), parsed, with its digest. */
async function manifestOf(ref: string): Promise<{ digest: string; m: any }> {
  const raw = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${reg}/${ref}`]);
  assert.equal(raw.code, 0, raw.stderr);
  const { createHash } = await import('node:crypto');
  return { digest: `sha256:${createHash('sha256').update(raw.stdout).digest('hex')}`, m: JSON.parse(raw.stdout) };
}

/**
 * A proxy in front of the registry that misbehaves on blob GETs: `swap` serves another
 * blob's bytes for the first layer (a digest mismatch), `cut` closes the connection half
 * way through every blob over 64 KiB.
 */
async function badProxy(mode: 'swap' | 'cut', swap?: { from: string; to: string }): Promise<{ host: string; close: () => Promise<void>; blobGets: () => number }> {
  let gets = 0;
  const server = http.createServer((req, res) => {
    let path = req.url ?? '/';
    const blob = req.method === 'GET' && /\/blobs\/sha256:/.test(path);
    if (blob) gets++;
    if (blob && mode === 'swap' && swap && path.endsWith(swap.from)) path = path.replace(swap.from, swap.to);
    const up = http.request({ host: '127.0.0.1', port, method: req.method, path, headers: req.headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      if (blob && mode === 'cut' && ur.statusCode === 200 && Number(ur.headers['content-length']) > 64 * 1024) {
        const len = Number(ur.headers['content-length']);
        let sent = 0;
        ur.on('data', (c: Buffer) => {
          if (sent + c.length >= len / 2) { res.write(c.subarray(0, Math.max(0, Math.floor(len / 2) - sent))); res.socket?.destroy(); ur.destroy(); return; }
          sent += c.length;
          res.write(c);
        });
        return;
      }
      ur.pipe(res);
    });
    up.once('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const p = (server.address() as net.AddressInfo).port;
  return { host: `127.0.0.1:${p}`, blobGets: () => gets, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

test('a blob whose digest does not match, and a connection closed mid-blob: errors, retries, nothing left', async () => {
  const name = 'bad/layers';
  await makeImage(`${reg}/${name}:v1`, 256);
  assert.equal((await d.cli(['push', `${reg}/${name}:v1`])).code, 0);
  const { m } = await manifestOf(`${name}:v1`);
  const [base, top] = m.layers.map((l: { digest: string }) => l.digest);
  assert.equal((await d.cli(['rmi', `${reg}/${name}:v1`])).code, 0);
  const before = await storeState();

  const swap = await badProxy('swap', { from: top, to: base });
  try {
    const r = await d.cli(['pull', `${swap.host}/${name}:v1`]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, new RegExp(`filesystem layer verification failed for digest ${top}`));
    assert.equal(swap.blobGets(), 2, 'the config and the layer, no retry of a bad digest');
  } finally { await swap.close(); }
  assert.deepEqual(await storeState(), before);
  assert.equal((await d.api('GET', `/images/${swap.host}/${name}:v1/json`)).status, 404);

  const cut = await badProxy('cut');
  try {
    const r = await d.cli(['pull', `${cut.host}/${name}:v1`]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /Retrying in 1 second/);
    assert.match(r.stderr, /unexpected EOF|aborted|socket hang up|ECONNRESET/);
    assert.equal(cut.blobGets(), 1 + 5, 'the config, then five attempts at the layer');
  } finally { await cut.close(); }
  assert.deepEqual(await storeState(), before);
});

test('a manifest list: the linux/amd64 entry is pulled, its digest recorded; another platform only is refused', async () => {
  const name = 'multi/arch';
  await makeImage(`${reg}/${name}:amd64`, 64);
  assert.equal((await d.cli(['push', `${reg}/${name}:amd64`])).code, 0);
  const { digest, m } = await manifestOf(`${name}:amd64`);
  const size = JSON.stringify(m, null, 3).length;
  const index = (platforms: Array<[string, string]>) => Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: platforms.map(([os, architecture]) => ({ mediaType: m.mediaType, digest, size, platform: { os, architecture } })),
  }));
  const put = (tag: string, body: Buffer) => new Promise<number>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'PUT', path: `/v2/${name}/manifests/${tag}`, headers: { 'Content-Type': 'application/vnd.oci.image.index.v1+json' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.once('error', reject);
    req.end(body);
  });
  const both = index([['linux', 'arm64'], ['linux', 'amd64']]);
  assert.equal(await put('both', both), 201);
  assert.equal(await put('armonly', index([['linux', 'arm64']])), 201);
  const { createHash } = await import('node:crypto');
  const indexDigest = `sha256:${createHash('sha256').update(both).digest('hex')}`;

  const r = await d.cli(['pull', `${reg}/${name}:both`]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^Digest: ${indexDigest}$`, 'm'));
  const img = await inspect(`${reg}/${name}:both`);
  assert.equal(img.Id, (await inspect(`${reg}/${name}:amd64`)).Id);
  assert.ok(img.RepoDigests.includes(`${reg}/${name}@${indexDigest}`), img.RepoDigests);

  const arm = await d.cli(['pull', `${reg}/${name}:armonly`]);
  assert.equal(arm.code, 1);
  assert.match(arm.stderr, /no matching manifest for linux\/amd64 in the manifest list entries/);
  const plat = await d.cli(['pull', '--platform', 'linux/s390x', `${reg}/${name}:both`]);
  assert.equal(plat.code, 1);
  assert.match(plat.stderr, /no matching manifest for linux\/s390x in the manifest list entries/);

  // zstd layers (Node 20 has no zstd): refused by name before any download
  const zm = { ...m, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: m.layers.map((l: any) => ({ ...l, mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' })) };
  const zput = await new Promise<number>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'PUT', path: `/v2/${name}/manifests/zstd`, headers: { 'Content-Type': zm.mediaType } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.once('error', reject);
    req.end(JSON.stringify(zm));
  });
  assert.equal(zput, 201);
  const z = await d.cli(['pull', `${reg}/${name}:zstd`]);
  assert.equal(z.code, 1);
  assert.match(z.stderr, /unsupported layer media type application\/vnd\.oci\.image\.layer\.v1\.tar\+zstd/);
});

test('the docker CLI pushes to and pulls from a registry through berthd', async () => {
  const name = `${reg}/docker-cli/img`;
  await makeImage(`${name}:v1`, 64);
  const docker = (...args: string[]) => run('docker', ['-H', d.host, ...args]);
  const push = await docker('push', `${name}:v1`);
  assert.equal(push.code, 0, push.stderr);
  assert.match(push.stdout, new RegExp(`^The push refers to repository \\[${esc(name)}\\]$`, 'm'));
  assert.match(push.stdout, /^v1: digest: sha256:[0-9a-f]{64} size: \d+$/m);
  assert.equal((await docker('rmi', `${name}:v1`)).code, 0);
  const pull = await docker('pull', `${name}:v1`);
  assert.equal(pull.code, 0, pull.stderr);
  assert.match(pull.stdout, /: Pull complete$/m);
  assert.match(pull.stdout, new RegExp(`^Status: Downloaded newer image for ${esc(name)}:v1$`, 'm'));
  const missing = await docker('pull', `${reg}/docker-cli/img:none`);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, new RegExp(`Error response from daemon: manifest for ${esc(reg)}/docker-cli/img:none not found: manifest unknown: manifest unknown`));
});

test('a registry with htpasswd basic auth: refused anonymously in Docker\'s words, push and pull after berth login', async () => {
  const bport = await freePort();
  const breg = `127.0.0.1:${bport}`;
  const pw = await run('htpasswd', ['-Bbn', 'alice', 's3cret']);
  assert.equal(pw.code, 0, pw.stderr);
  await writeFile(join(tmp, 'htpasswd'), pw.stdout);
  const cfg = join(tmp, 'basic.yml');
  await writeFile(cfg, [
    'version: 0.1', 'log:', '  level: error', 'storage:', '  filesystem:', `    rootdirectory: ${join(tmp, 'basic-storage')}`,
    'http:', `  addr: ${breg}`, 'auth:', '  htpasswd:', '    realm: basic-realm', `    path: ${join(tmp, 'htpasswd')}`, '',
  ].join('\n'));
  const basic = spawn('docker-registry', ['serve', cfg], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100; i++) {
      const up = await new Promise<boolean>((r) => http.get(`http://${breg}/v2/`, (res) => { res.resume(); r(res.statusCode === 401); }).once('error', () => r(false)));
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const env = { ...process.env, DOCKER_CONFIG: join(tmp, 'dockercfg') };
    const berth = (...args: string[]) => run(process.execPath, [BERTH, '-H', d.host, ...args], { env });
    const name = `${breg}/private/img`;
    await makeImage(`${name}:v1`, 32);
    const anon = await berth('push', `${name}:v1`);
    assert.equal(anon.code, 1);
    assert.match(anon.stderr, /unauthorized: authentication required/);
    const anonPull = await berth('pull', `${name}:v1`);
    assert.equal(anonPull.code, 1);
    assert.match(anonPull.stderr, new RegExp(`pull access denied for ${esc(name)}, repository does not exist or may require 'docker login'`));

    const login = await run(process.execPath, [BERTH, '-H', d.host, 'login', '-u', 'alice', '--password-stdin', breg], { env, input: 's3cret\n' });
    assert.equal(login.code, 0, login.stderr);
    const push = await berth('push', `${name}:v1`);
    assert.equal(push.code, 0, push.stderr);
    assert.match(push.stdout, /^v1: digest: sha256:[0-9a-f]{64} size: \d+$/m);
    assert.equal((await berth('rmi', `${name}:v1`)).code, 0);
    const pull = await berth('pull', `${name}:v1`);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, /: Pull complete$/m);
    // run's pull of a missing image sends the same credentials
    assert.equal((await berth('rmi', `${name}:v1`)).code, 0);
    const r = await berth('run', '--rm', `${name}:v1`, 'cat', '/tag');
    assert.equal(r.stdout, `${name}:v1\n`, r.stderr);
  } finally {
    await new Promise<void>((r) => { if (basic.exitCode !== null) { r(); return; } basic.once('exit', () => r()); process.kill(basic.pid!, 'SIGTERM'); });
  }
});

test('push -a and pull -a move every tag of a repository', async () => {
  const name = `${reg}/alltags/x`;
  const idA = await makeImage(`${name}:a`, 16);
  const idB = await makeImage(`${name}:b`, 16);
  const push = await d.cli(['push', '-a', name]);
  assert.equal(push.code, 0, push.stderr);
  assert.match(push.stdout, /^a: digest: sha256:[0-9a-f]{64} size: \d+$/m);
  assert.match(push.stdout, /^b: digest: sha256:[0-9a-f]{64} size: \d+$/m);
  assert.equal((await d.cli(['rmi', `${name}:a`, `${name}:b`])).code, 0);
  const pull = await d.cli(['pull', '-a', name]);
  assert.equal(pull.code, 0, pull.stderr);
  assert.match(pull.stdout, /^a: Pulling from alltags\/x$/m);
  assert.match(pull.stdout, /^b: Pulling from alltags\/x$/m);
  assert.match(pull.stdout, new RegExp(`^Status: Downloaded newer image for ${esc(name)}$`, 'm'));
  assert.equal((await inspect(`${name}:a`)).Id, idA);
  assert.equal((await inspect(`${name}:b`)).Id, idB);
  const both = await d.cli(['pull', '-a', `${name}:a`]);
  assert.equal(both.code, 1);
  assert.match(both.stderr, /tag can't be used with --all-tags\/-a/);
});

test('an OCI manifest (skopeo --format oci) pulls; berth run of a missing image pulls it first', async () => {
  const name = `${reg}/oci/img`;
  await makeImage(`${name}:src`, 32);
  const archive = join(tmp, 'oci-src.tar');
  assert.equal((await d.cli(['save', '-o', archive, `${name}:src`])).code, 0);
  const cp = await run('skopeo', ['copy', '--format', 'oci', '--dest-tls-verify=false', `docker-archive:${archive}`, `docker://${name}:v1`]);
  assert.equal(cp.code, 0, cp.stderr);
  const { m } = await manifestOf('oci/img:v1');
  assert.equal(m.mediaType, 'application/vnd.oci.image.manifest.v1+json');
  assert.equal((await d.cli(['rmi', `${name}:src`])).code, 0);
  const r = await d.cli(['run', '--rm', `${name}:v1`, 'cat', '/tag']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${name}:src\n`);
  assert.match(r.stderr, new RegExp(`^Unable to find image '${esc(name)}:v1' locally$`, 'm'));
  assert.match(r.stderr, /: Pull complete$/m);
  // skopeo rewrote the config as an OCI config: the image ID is that config's digest
  assert.equal((await inspect(`${name}:v1`)).Id, m.config.digest);
});

test('a TLS registry on a routable address: refused until certs.d holds its CA, then push and pull verify it', async () => {
  const ip = (await run('hostname', ['-I'])).stdout.split(/\s+/).find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a) && !a.startsWith('127.'));
  assert.ok(ip, 'a non-loopback IPv4 address');
  const tport = await freePort();
  const treg = `${ip}:${tport}`;
  const dir = join(tmp, 'tls');
  const mk = await run('sh', ['-c', `set -e; mkdir -p ${dir}; cd ${dir}
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=berth-test-ca -keyout ca.key -out ca.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj /CN=${ip} -keyout srv.key -out srv.csr 2>/dev/null
    printf 'subjectAltName=IP:${ip}' > ext
    openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile ext -out srv.crt 2>/dev/null`]);
  assert.equal(mk.code, 0, mk.stderr);
  const cfg = join(dir, 'config.yml');
  await writeFile(cfg, ['version: 0.1', 'log:', '  level: error', 'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'storage')}`,
    'http:', `  addr: ${treg}`, '  tls:', `    certificate: ${join(dir, 'srv.crt')}`, `    key: ${join(dir, 'srv.key')}`, ''].join('\n'));
  const tls = spawn('docker-registry', ['serve', cfg], { stdio: 'ignore' });
  const certs = join('/etc/berth/certs.d', treg);
  try {
    for (let i = 0; i < 100 && (await run('bash', ['-c', `exec 3<>/dev/tcp/${ip}/${tport}`])).code !== 0; i++) await new Promise((r) => setTimeout(r, 100));
    const name = `${treg}/tls/img`;
    await makeImage(`${name}:v1`, 16);
    const refused = await d.cli(['push', `${name}:v1`]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`Get "https://${esc(treg)}/v2/": x509: certificate signed by unknown authority`));
    await run('mkdir', ['-p', certs]);
    await run('cp', [join(dir, 'ca.crt'), join(certs, 'ca.crt')]);
    const push = await d.cli(['push', `${name}:v1`]);
    assert.equal(push.code, 0, push.stderr);
    assert.equal((await d.cli(['rmi', `${name}:v1`])).code, 0);
    const pull = await d.cli(['pull', `${name}:v1`]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, /: Pull complete$/m);
  } finally {
    await rm(certs, { recursive: true, force: true });
    await new Promise<void>((r) => { if (tls.exitCode !== null) { r(); return; } tls.once('exit', () => r()); process.kill(tls.pid!, 'SIGTERM'); });
  }
});
