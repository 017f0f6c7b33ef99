import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDaemon, run, BERTH } from '../harness';
import { humanSize } from '../../src/lib/go-units';

const d = new TestDaemon('ipdf');
let tmp = '';
type Tls = { key: Buffer; cert: Buffer; certFile: string };
let trusted: Tls | undefined;
let untrusted: Tls | undefined;

/** A self-signed certificate for 127.0.0.1. */
async function selfSigned(name: string): Promise<Tls> {
  const [key, certFile] = [join(tmp, `${name}.key`), join(tmp, `${name}.pem`)];
  const ssl = await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certFile, '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
  assert.equal(ssl.code, 0, ssl.stderr);
  return { key: await readFile(key), cert: await readFile(certFile), certFile };
}

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'berth-ipdf-test-'));
  // this test's berthd trusts one certificate, for import from an https URL, and not the other
  trusted = await selfSigned('trusted');
  untrusted = await selfSigned('untrusted');
  process.env.NODE_EXTRA_CA_CERTS = trusted.certFile;
  await d.start();
});
after(async () => {
  await d.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function ok(args: string[], input?: string): Promise<string> {
  const r = await d.cli(args, { input });
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A rootfs tar holding busybox and `bytes` random bytes in /data: a layer no other image has. */
async function uniqueTar(name: string, bytes: number): Promise<string> {
  const root = join(tmp, name);
  await mkdir(join(root, 'bin'), { recursive: true });
  await writeFile(join(root, 'bin', 'busybox'), await readFile('/bin/busybox'), { mode: 0o755 });
  await writeFile(join(root, 'data'), randomBytes(bytes));
  const tarball = join(tmp, `${name}.tar`);
  const t = await run('tar', ['-C', root, '-cf', tarball, '.']);
  assert.equal(t.code, 0, t.stderr);
  return tarball;
}

/** Imports a tar (untagged unless ref); returns the image ID. */
async function importTar(tarball: string, ref?: string, changes: string[] = []): Promise<string> {
  const out = await ok(['import', ...changes.flatMap((c) => ['-c', c]), tarball, ...(ref ? [ref] : [])]);
  return out.trim();
}

async function exists(ref: string): Promise<boolean> {
  const r = await d.api('GET', `/images/${ref}/json`);
  assert.ok(r.status === 200 || r.status === 404, r.body);
  return r.status === 200;
}

/** Bytes the image records, blobs and layers take on disk, as du counts them. */
async function storeBytes(): Promise<number> {
  const r = await run('du', ['-sB1', '--total', join(d.dataRoot, 'overlay'), join(d.dataRoot, 'image')]);
  assert.equal(r.code, 0, r.stderr);
  return Number(/(\d+)\s+total/.exec(r.stdout)![1]);
}

/** The `reclaimed` attribute of the prune events since sinceMs. */
async function pruneEvents(sinceMs: number): Promise<number[]> {
  const filters = encodeURIComponent(JSON.stringify({ type: ['image'], event: ['prune'] }));
  const r = await d.api('GET', `/events?since=${Math.floor(sinceMs / 1000)}&until=${Date.now() / 1000}&filters=${filters}`);
  return r.body.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.timeNano >= sinceMs * 1e6)
    .map((e) => Number(e.Actor.Attributes.reclaimed));
}

test('image prune removes dangling images only, after the prompt, and reports the bytes it freed on disk', async () => {
  const dangling = await importTar(await uniqueTar('dangling', 1_000_000));
  const tagged = await importTar(await uniqueTar('tagged', 300_000), 'ipdf/keep:1');
  const used = await importTar(await uniqueTar('used', 200_000));
  await ok(['create', '--name', 'ipdf-user', used, '/bin/busybox', 'true']);

  const no = await d.cli(['image', 'prune'], { input: 'n\n' });
  assert.equal(no.code, 0, no.stderr);
  assert.equal(no.stdout, 'WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] ');
  assert.ok(await exists(dangling), 'answering n keeps the image');

  const since = Date.now();
  const before = await storeBytes();
  const out = await ok(['image', 'prune'], 'y\n');
  const after = await storeBytes();
  const [reclaimed] = await pruneEvents(since);

  const m = /^WARNING! .*\n.* \[y\/N\] Deleted Images:\n((?:deleted: sha256:[0-9a-f]{64}\n)+)\nTotal reclaimed space: (\S+)\n$/.exec(out);
  assert.ok(m, out);
  const deleted = m[1].trim().split('\n').map((l) => l.slice('deleted: '.length));
  assert.equal(deleted[0], dangling);
  assert.equal(deleted.length, 2, 'the image and its layer');
  assert.equal(m[2], humanSize(reclaimed, 4));
  assert.ok(!(await exists(dangling)));
  assert.ok(await exists(tagged), 'a tagged image is not dangling');
  assert.ok(await exists(used), 'a dangling image a container uses stays');
  // what the report claims is what left the disk (less the few KB of records that also went)
  assert.ok(reclaimed >= 1_000_000, `reclaimed ${reclaimed}`);
  assert.ok(Math.abs(before - after - reclaimed) <= 16_384, `du went from ${before} to ${after}, report says ${reclaimed}`);

  const again = await ok(['image', 'prune', '-f']);
  assert.equal(again, 'Total reclaimed space: 0B\n');
  await ok(['rm', 'ipdf-user']);
});

test('image prune -a removes unused images within the filters; a used image keeps its last name', async () => {
  const shared = await uniqueTar('all', 100_000);
  const usedId = await importTar(shared, 'ipdf/a:1', ['LABEL ipdf=all']);
  await ok(['tag', 'ipdf/a:1', 'ipdf/a:2']);
  await ok(['create', '--name', 'ipdf-a', 'ipdf/a:1', '/bin/busybox', 'true']);
  const unused = await importTar(await uniqueTar('unused', 100_000), 'ipdf/b:1', ['LABEL ipdf=all']);
  await importTar(shared, 'ipdf/c:1', ['LABEL ipdf=other']);
  await importTar(shared, 'ipdf/d:1', ['LABEL ipdf=all', 'LABEL skip=1']);

  const filters = encodeURIComponent(JSON.stringify({ dangling: ['false'], label: ['ipdf=all'], 'label!': ['skip'] }));
  const r = await d.api('POST', `/images/prune?filters=${filters}`);
  assert.equal(r.status, 200, r.body);
  const items: Array<{ Untagged?: string; Deleted?: string }> = r.json.ImagesDeleted;
  assert.ok(items.some((i) => i.Untagged === 'ipdf/b:1') && items.some((i) => i.Deleted === unused), r.body);
  assert.ok(!items.some((i) => i.Deleted === usedId), 'a used image is not deleted');
  assert.ok(r.json.SpaceReclaimed >= 100_000, r.body);

  assert.ok(!(await exists('ipdf/b:1')));
  const left = (await ok(['images', '--format', '{{.Repository}}:{{.Tag}}', 'ipdf/*'])).trim().split('\n').sort();
  assert.equal(left.filter((n) => n.startsWith('ipdf/a:')).length, 1, `one name of the used image is left: ${left}`);
  assert.deepEqual(left.filter((n) => /^ipdf\/[bcd]:/.test(n)), ['ipdf/c:1', 'ipdf/d:1'], 'other labels and label! are spared');

  assert.equal(await ok(['image', 'prune', '-af', '--filter', 'until=1h', '--filter', 'label=ipdf=other']), 'Total reclaimed space: 0B\n');
  assert.ok(await exists('ipdf/c:1'), 'until=1h spares an image made just now');
  const bad = await d.cli(['image', 'prune', '-f', '--filter', 'bogus=1']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, "Error response from daemon: Invalid filter 'bogus'\n");
  const badUntil = await d.cli(['image', 'prune', '-f', '--filter', 'until=soon']);
  assert.equal(badUntil.stderr, 'Error response from daemon: failed to parse value as time or duration: "soon"\n');
  const badDangling = await d.api('POST', `/images/prune?filters=${encodeURIComponent('{"dangling":["maybe"]}')}`);
  assert.equal(badDangling.status, 400);
  assert.equal(badDangling.json.message, "Invalid filter 'dangling=[maybe]'");

  await ok(['rm', 'ipdf-a']);
});

test('system df: sizes that add up, per-image container counts, docker\'s tables', async () => {
  const base = await importTar(await uniqueTar('dfbase', 400_000), 'ipdf/df:base');
  await importTar(join(tmp, 'dfbase.tar'), 'ipdf/df:twin', ['CMD ["/bin/busybox"]']); // same layer, another config
  await ok(['run', '--name', 'ipdf-df', '--network', 'none', 'ipdf/df:base', '/bin/busybox', 'sh', '-c', '/bin/busybox head -c 5000 /dev/zero > /written']);
  await ok(['commit', 'ipdf-df', 'ipdf/df:child']);

  const r = await d.api('GET', '/system/df');
  assert.equal(r.status, 200, r.body);
  const du = r.json;
  assert.deepEqual(du.Volumes, [], 'no volumes subsystem yet');
  assert.deepEqual(du.BuildCache, []);
  const img = (name: string) => du.Images.find((i: { RepoTags: string[] }) => i.RepoTags.includes(name));
  for (const i of du.Images) {
    assert.ok(i.SharedSize >= 0 && i.SharedSize <= i.Size, JSON.stringify(i));
  }
  assert.equal(img('ipdf/df:base').Id, base);
  assert.equal(img('ipdf/df:base').Containers, 1);
  assert.equal(img('ipdf/df:twin').Containers, 0);
  assert.equal(img('ipdf/df:base').SharedSize, img('ipdf/df:base').Size, 'base shares its only layer with twin and child');
  const child = img('ipdf/df:child');
  assert.equal(child.SharedSize, img('ipdf/df:base').Size);
  assert.equal(child.Size - child.SharedSize, 5000, 'the child holds only the file the container wrote');
  const ctr = du.Containers.find((c: { Names: string[] }) => c.Names[0] === '/ipdf-df');
  assert.equal(ctr.SizeRw, 5000);
  assert.equal(ctr.SizeRootFs, 5000 + img('ipdf/df:base').Size);
  // LayersSize counts each layer once: it is what du sees under the layer store, less its metadata
  const layers = await run('du', ['-sb', join(d.dataRoot, 'overlay', 'layers')]);
  const onDisk = Number(layers.stdout.split(/\s/)[0]);
  assert.ok(du.LayersSize <= onDisk && onDisk - du.LayersSize < 0.05 * onDisk + 65_536, `LayersSize ${du.LayersSize}, du -sb ${onDisk}`);
  const sum = (f: (i: { Size: number; SharedSize: number }) => number) => du.Images.reduce((n: number, i: { Size: number; SharedSize: number }) => n + f(i), 0);
  const unique = sum((i) => i.Size - i.SharedSize);
  assert.ok(du.LayersSize >= unique + img('ipdf/df:base').Size && du.LayersSize <= sum((i) => i.Size), 'unique bytes plus shared layers, each once');

  const typed = await d.api('GET', '/v1.43/system/df?type=container');
  assert.equal(typed.json.Images, null);
  assert.equal(typed.json.Containers.length, du.Containers.length);
  const bogus = await d.api('GET', '/v1.43/system/df?type=bogus');
  assert.equal(bogus.status, 400);
  assert.equal(bogus.json.message, 'unknown object type: bogus');

  const table = (await ok(['system', 'df'])).split('\n');
  assert.match(table[0], /^TYPE {12}TOTAL {5}ACTIVE {4}SIZE {6}RECLAIMABLE$/);
  const active = du.Images.filter((i: { Containers: number }) => i.Containers > 0).length;
  assert.match(table[1], new RegExp(`^Images {10}${du.Images.length} +${active} +${humanSize(du.LayersSize, 4).replace('.', '\\.')} +\\S+ \\(\\d+%\\)$`));
  assert.match(table[2], /^Containers {6}1 +0 +5kB +5kB \(100%\)$/);
  assert.match(table[3], /^Local Volumes {3}0 +0 +0B +0B$/);
  assert.match(table[4], /^Build Cache {5}0 +0 +0B +0B$/);
  assert.equal(await ok(['system', 'df', '--format', '{{.Type}}={{.TotalCount}}']), `Images=${du.Images.length}\nContainers=1\nLocal Volumes=0\nBuild Cache=0\n`);
  const conflict = await d.cli(['system', 'df', '-v', '--format', 'x']);
  assert.equal(conflict.code, 1);
  assert.equal(conflict.stderr, 'the verbose and the format options conflict\n');

  const verbose = await ok(['system', 'df', '-v']);
  assert.match(verbose, /^Images space usage:\n\nREPOSITORY +TAG +IMAGE ID +CREATED +SIZE +SHARED SIZE +UNIQUE SIZE +CONTAINERS\n/);
  assert.match(verbose, /\nipdf\/df +child +[0-9a-f]{12} .+ +5kB +0\n/);
  assert.match(verbose, /\nipdf\/df +base +[0-9a-f]{12} .+ +0B +1\n/);
  assert.match(verbose, /\n\nContainers space usage:\n\nCONTAINER ID +IMAGE +COMMAND +LOCAL VOLUMES +SIZE +CREATED +STATUS +NAMES\n[0-9a-f]{12} +ipdf\/df:base .* 0 +5kB .* ipdf-df\n/);
  assert.match(verbose, /\n\nLocal Volumes space usage:\n\nVOLUME NAME +LINKS +SIZE\n\nBuild cache usage: 0B\n\nCACHE ID +CACHE TYPE +SIZE +CREATED +LAST USED +USAGE +SHARED\n$/);
  // the docker CLI renders the same answer the same way
  const docker = await run('docker', ['-H', d.host, 'system', 'df', '-v']).catch(() => undefined); // undefined: no docker CLI here
  if (docker) {
    assert.equal(docker.code, 0, docker.stderr);
    // Relative times (and so the CREATED column's width) depend on when each CLI ran.
    const ago = (s: string) => s.replace(/(\d+ \w+|About an? \w+|Less than a second) ago */g, 'AGO').replace(/ {2,}/g, '  ');
    assert.equal(ago(verbose), ago(docker.stdout));
  }
  await ok(['rm', 'ipdf-df']);
});

/** A local http(s) server: /rootfs.tar, /redirect (to it), /missing (404 with a body). */
async function tarServer(tarball: string, tls?: Tls): Promise<{ url: string; close: () => Promise<void> }> {
  const body = await readFile(tarball);
  const handler: http.RequestListener = (req, res) => {
    if (req.url === '/rootfs.tar') res.end(body);
    else if (req.url === '/redirect') { res.writeHead(302, { Location: '/rootfs.tar' }); res.end(); }
    else { res.writeHead(404, 'Not Found'); res.end('not here\n'); }
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((r) => server.close(() => r())) };
}

test('import from an http(s) URL (redirects followed) or a file, with -c and -m; HTTP errors in docker\'s words', async () => {
  const tarball = await uniqueTar('url', 10_000);
  const srv = await tarServer(tarball);
  try {
    const out = await ok(['import', '-c', 'ENV A=1', '-c', 'CMD ["/bin/busybox"]', '-m', 'from the web', `${srv.url}/redirect`, 'ipdf/url:1']);
    const m = new RegExp(`^Downloading from ${srv.url}/redirect\nsha256:[0-9a-f]{64}\n$`).exec(out);
    assert.ok(m, out);
    const info = JSON.parse(await ok(['image', 'inspect', '-f', '{{json .}}', 'ipdf/url:1']));
    assert.equal(info.Comment, 'from the web');
    assert.deepEqual(info.Config.Env, ['A=1']);
    assert.deepEqual(info.Config.Cmd, ['/bin/busybox']);
    assert.equal((await ok(['run', '--rm', 'ipdf/url:1', '/bin/busybox', 'wc', '-c', '/data'])).trim(), '10000 /data');

    await ok(['import', `${srv.url}/rootfs.tar`, 'ipdf/url:2']);
    assert.equal((await ok(['history', '--format', '{{.Comment}}', 'ipdf/url:2'])).trim(), `Imported from ${srv.url}/rootfs.tar`);

    const missing = await d.cli(['import', `${srv.url}/missing`]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, `Error response from daemon: failed to GET ${srv.url}/missing with status 404 Not Found: not here\n`);
  } finally {
    await srv.close();
  }
  const refused = await d.cli(['import', `${srv.url}/rootfs.tar`]);
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr, `Error response from daemon: Get "${srv.url}/rootfs.tar": dial tcp ${srv.url.slice(7)}: connect: connection refused\n`);

  const secure = await tarServer(tarball, trusted);
  const unknown = await tarServer(tarball, untrusted);
  try {
    assert.match(await ok(['import', `${secure.url}/redirect`, 'ipdf/url:tls']), new RegExp(`^Downloading from ${secure.url}/redirect\nsha256:`));
    assert.equal((await ok(['image', 'inspect', '-f', '{{.Comment}}', 'ipdf/url:tls'])).trim(), `Imported from ${secure.url}/redirect`);
    const bad = await d.cli(['import', `${unknown.url}/rootfs.tar`]);
    assert.equal(bad.stderr, `Error response from daemon: Get "${unknown.url}/rootfs.tar": x509: certificate signed by unknown authority\n`);
  } finally {
    await secure.close();
    await unknown.close();
  }

  await ok(['import', '-c', 'LABEL from=file', '-m', 'a file', tarball, 'ipdf/file:1']);
  assert.equal((await ok(['image', 'inspect', '-f', '{{.Comment}} {{.Config.Labels.from}}', 'ipdf/file:1'])).trim(), 'a file file');
  const nofile = await d.cli(['import', join(tmp, 'nope.tar')]);
  assert.equal(nofile.stderr, `open ${join(tmp, 'nope.tar')}: no such file or directory\n`);
});

test('listing as docker prints it: a -q line per name, --digests, filters and their errors, parents in history and -a', async () => {
  const tarball = await uniqueTar('list', 1000);
  const id = await importTar(tarball, 'ipdf/list:1');
  await ok(['tag', 'ipdf/list:1', 'ipdf/list:2']);
  const short = id.slice(7, 19);
  assert.equal(await ok(['images', '-q', 'ipdf/list']), `${short}\n${short}\n`);
  assert.equal(await ok(['images', '--format', '{{.Repository}}:{{.Tag}}', 'ipdf/list:2']), 'ipdf/list:2\n', 'a reference filter lists only the names it matches');
  assert.equal((await ok(['images', '--digests', '--format', 'table {{.Repository}}\t{{.Tag}}', 'ipdf/list:1'])).split('\n')[0], 'REPOSITORY   TAG       DIGEST');
  assert.equal(await ok(['images', '-q', '--format', '{{.Tag}}', 'ipdf/list:1']), '1\n');
  assert.equal((await ok(['images', '--format', '{{json .}}', 'ipdf/list:1'])).match(/"VirtualSize"/)?.length, 1, '{{json .}} marshals every field');
  for (const [filter, message] of [['dangling=maybe', "Invalid filter 'dangling=[maybe]'"], ['bogus=1', "Invalid filter 'bogus'"], ['before=ipdf/none', 'No such image: ipdf/none:latest']]) {
    const r = await d.cli(['images', '-f', filter]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `Error response from daemon: ${message}\n`);
  }

  // a committed child: history names its parent; the parent, once untagged, is an intermediate image
  await ok(['run', '--name', 'ipdf-list', '--network', 'none', 'ipdf/list:1', '/bin/busybox', 'true']);
  const childId = (await ok(['commit', 'ipdf-list', 'ipdf/listchild:1'])).trim();
  await ok(['rm', 'ipdf-list']);
  assert.deepEqual((await ok(['history', '-q', '--no-trunc', 'ipdf/listchild:1'])).trim().split('\n'), [childId, id]);
  assert.equal(await ok(['rmi', 'ipdf/list:1', 'ipdf/list:2']), 'Untagged: ipdf/list:1\nUntagged: ipdf/list:2\n', 'the parent stays for its child');
  assert.ok(!(await ok(['images', '-q'])).includes(short), 'an untagged parent is hidden');
  assert.ok((await ok(['images', '-a', '-q'])).includes(short), '-a shows it');
  const hard = await d.cli(['rmi', '-f', short]);
  assert.equal(hard.stderr, `Error response from daemon: conflict: unable to delete ${short} (cannot be forced) - image has dependent child images\n`);
  // removing the child prunes its untagged parent too
  const rmChild = await ok(['rmi', 'ipdf/listchild:1']);
  assert.match(rmChild, new RegExp(`^Untagged: ipdf/listchild:1\nDeleted: ${childId}\nDeleted: sha256:[0-9a-f]{64}\nDeleted: ${id}\nDeleted: sha256:[0-9a-f]{64}\n$`));
  assert.ok(!(await exists(id)));

  // rmi -f $(images -q): an ID listed once per name is gone the second time, which -f does not fail on
  const dup = await importTar(tarball, 'ipdf/dup:1');
  await ok(['tag', 'ipdf/dup:1', 'ipdf/dup:2']);
  const ids = (await ok(['images', '-q', 'ipdf/dup'])).trim().split('\n');
  assert.deepEqual(ids, [dup.slice(7, 19), dup.slice(7, 19)]);
  const rmf = await d.cli(['rmi', '-f', ...ids]);
  assert.equal(rmf.code, 0, rmf.stderr);
  assert.match(rmf.stdout, new RegExp(`^Untagged: ipdf/dup:[12]\nUntagged: ipdf/dup:[12]\nDeleted: ${dup}\n(Deleted: sha256:[0-9a-f]{64}\n)?$`));
  assert.equal(rmf.stderr, `Error response from daemon: No such image: ${ids[0]}:latest\n`);
  const again = await d.cli(['rmi', ids[0]]);
  assert.equal(again.code, 1, 'without -f a missing image fails the command');

  // docker images -f dangling=true -q | xargs berth rmi
  await importTar(tarball);
  await importTar(await uniqueTar('dangling2', 10));
  const berth = `"${process.execPath}" "${BERTH}" -H ${d.host}`;
  const sh = await run('sh', ['-c', `${berth} images -f dangling=true -q | xargs ${berth} rmi`]);
  assert.equal(sh.code, 0, sh.stderr);
  assert.equal((sh.stdout.match(/^Deleted: /gm) ?? []).length >= 2, true, sh.stdout);
  assert.equal(await ok(['images', '-f', 'dangling=true', '-q']), '');
});
