import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile, symlink } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import * as tarStream from 'tar-stream';
import { BERTH, TestDaemon, run, type RunResult } from '../harness';
import { configBytes, digestOf, legacyDockerArchive, tarOf, type FixtureImage, type TarEntry } from '../archive-fixtures';

/**
 * `save` and `load` round trips in Docker's archive format, with two images: berthrt/b:2 (a
 * busybox root) and berthrt/a:1 (b plus a layer that adds /added.txt, its parent). With a
 * Docker engine on /run/docker.sock the images are made in Docker at test time (import, then
 * commit) and every assertion compares berth with what Docker says of the same archive;
 * without one (CI) the same assertions run against archives built here in Docker 20.10's save
 * layout. OCI layouts come from skopeo and umoci.
 */

process.env.TZ = 'UTC'; // history's CreatedAt is local time in both CLIs

const DOCKER_SOCK = '/run/docker.sock';
const DOCKER_BIN = ['/usr/local/bin/docker', '/usr/bin/docker'].find((b) => existsSync(b));
const SKOPEO = ['/usr/bin/skopeo', '/usr/local/bin/skopeo'].find((b) => existsSync(b));
const UMOCI = ['/usr/bin/umoci', '/usr/local/bin/umoci'].find((b) => existsSync(b));
const HISTORY_FMT = '{{.ID}}|{{.CreatedAt}}|{{.CreatedBy}}|{{.Size}}|{{.Comment}}';
const DIGESTS_FMT = '{{.Repository}}|{{.Tag}}|{{.Digest}}';
const A = 'berthrt/a:1';
const B = 'berthrt/b:2';
const TAGS = [A, B];
const ADDED = 'added\n';

const hex = (d: string) => d.replace(/^sha256:/, '');
const lines = (s: string) => s.split('\n').filter(Boolean);
const loadedLines = (tags: string[]) => tags.map((t) => `Loaded image: ${t}\n`).join('');
/** History rows with the IDs below the top one hidden: those name parent images (see 'Parent'). */
const ownRows = (rows: string[]) => rows.map((r, i) => (i ? r.replace(/^[^|]*/, '*') : r));

function dockerPing(): Promise<boolean> {
  if (!DOCKER_BIN || !existsSync(DOCKER_SOCK)) return Promise.resolve(false);
  return new Promise((res) => {
    const req = http.get({ socketPath: DOCKER_SOCK, path: '/_ping', timeout: 2000 }, (r) => { r.resume(); res(r.statusCode === 200); });
    req.on('timeout', () => { req.destroy(); res(false); });
    req.on('error', () => res(false));
  });
}

const docker = (args: string[]) => run(DOCKER_BIN!, args, { env: { DOCKER_HOST: `unix://${DOCKER_SOCK}`, DOCKER_CONTEXT: '' } });

function ok(r: RunResult, what: string): string {
  assert.equal(r.code, 0, `${what}: ${r.stderr}`);
  return r.stdout;
}

// --- archives in Docker 20.10's save layout -------------------------------------------

/** What Docker counts as a layer's size: file contents plus symlink targets. */
const layerSize = (entries: TarEntry[]) => entries.reduce((n, e) => n + (e.type === 'symlink' ? e.linkname!.length : e.body?.length ?? 0), 0);

/** go-units HumanSizeWithPrecision(size, 3), as docker history prints sizes. */
function humanSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return `${Number(n.toPrecision(3))}${units[i]}`;
}

const baseEntries = async (): Promise<TarEntry[]> => [
  { name: 'bin/', type: 'directory' },
  { name: 'bin/busybox', body: await readFile('/bin/busybox'), mode: 0o755 },
  { name: 'bin/cat', type: 'symlink', linkname: 'busybox' },
  { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
];
const topEntries: TarEntry[] = [{ name: 'added.txt', body: ADDED }];

/** What berth should report of each loaded image. */
interface ImageRef { id: string; tags: string[]; diffIds: string[]; history: string[]; parent: string; repoDigests: string[] }
interface Reference { a: ImageRef; b: ImageRef; digests: string[] }

/**
 * b: a busybox root, history rows for it and an empty-layer ENV; a: b's layers and history
 * plus /added.txt (so b is a valid Parent of a, as Docker's load checks). Saved as Docker
 * 20.10 saves both: manifest.json names a's Parent.
 */
async function legacyFixture(): Promise<{ archive: Buffer; ref: Reference }> {
  const layers = [await baseEntries(), topEntries];
  const tars = await Promise.all(layers.map(tarOf));
  const rows = [
    { created: '2024-01-02T03:04:05.123456789Z', comment: 'berth rt base' },
    { created: '2024-01-02T03:04:06.5Z', created_by: '/bin/sh -c #(nop)  ENV RT=1', empty_layer: true },
    { created: '2024-01-02T03:04:07Z', created_by: 'sh -c echo added > /added.txt', comment: 'adds a file' },
  ];
  const env = { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'RT=1'], Cmd: ['sh'] };
  const b: FixtureImage = { layers: [tars[0]], repoTags: [B], config: { created: rows[1].created, config: env, history: rows.slice(0, 2) } };
  const a: FixtureImage = { layers: tars, repoTags: [A], config: { created: rows[2].created, comment: 'adds a file', docker_version: '20.10.24+dfsg1', config: env, history: rows } };
  const [aId, bId] = [a, b].map((img) => digestOf(configBytes(img)));
  const withParent = (entries: TarEntry[]) => entries.map((e) => {
    if (e.name !== 'manifest.json') return e;
    const m = JSON.parse(String(e.body)) as { Parent?: string }[];
    m[0].Parent = bId;
    return { ...e, body: JSON.stringify(m) };
  });
  const archive = await legacyDockerArchive({ images: [a, b], edit: withParent });
  const sizes = [layerSize(layers[0]), 0, layerSize(layers[1])];
  const rowOf = (id: string) => (r: typeof rows[number], i: number) => [id, r.created.replace(/\.\d+Z$/, 'Z'), r.created_by ?? '', humanSize(sizes[i]), r.comment ?? ''].join('|');
  const history = (ids: string[], n: number) => rows.slice(0, n).map((r, i) => rowOf(ids[n - 1 - i] ?? '<missing>')(r, i)).reverse();
  return {
    archive,
    ref: {
      a: { id: aId, tags: [A], diffIds: tars.map(digestOf), history: history([aId, bId], 3), parent: bId, repoDigests: [] },
      b: { id: bId, tags: [B], diffIds: [digestOf(tars[0])], history: history([bId], 2), parent: '', repoDigests: [] },
      digests: [`berthrt/a|1|<none>`, `berthrt/b|2|<none>`],
    },
  };
}

// --- the scenario, against Docker's word or the fixture's ---------------------------

const d = new TestDaemon('dimg');
let work = '';
const berth = (args: string[]) => run(process.execPath, [BERTH, '-H', d.host, ...args]);

async function berthHistory(ref: string): Promise<string[]> {
  return lines(ok(await berth(['history', '--no-trunc', '--format', HISTORY_FMT, ref]), `berth history ${ref}`));
}

/** berth's images are the reference's: IDs, tags, layers, history, no digests; a runs and sees its file. */
async function assertBerthHas(ref: Reference, what: string): Promise<void> {
  for (const img of [ref.a, ref.b]) {
    const inspect = await d.api('GET', `/images/${encodeURIComponent(img.tags[0])}/json`);
    assert.equal(inspect.status, 200, `${what}: ${inspect.body}`);
    assert.equal(inspect.json.Id, img.id, what);
    assert.deepEqual([...inspect.json.RepoTags].sort(), [...img.tags].sort(), what);
    assert.deepEqual(inspect.json.RootFS.Layers, img.diffIds, what);
    assert.deepEqual(inspect.json.RepoDigests, img.repoDigests, what);
    assert.deepEqual(ownRows(await berthHistory(img.tags[0])), ownRows(img.history), `${what}: history of ${img.tags[0]}`);
  }
  assert.deepEqual(lines(ok(await berth(['images', '--digests', '--format', DIGESTS_FMT, 'berthrt/*']), 'berth images')).sort(), ref.digests, `${what}: images --digests`);
  const r = await berth(['run', '--rm', '--network', 'none', A, 'cat', '/added.txt']);
  assert.equal(r.stdout, ADDED, `${what}: run: ${r.stderr}`);
}

async function berthRmi(): Promise<void> {
  await berth(['rmi', '-f', ...TAGS, 'berthrt/c:3']); // fails for the absent ones, removes the rest
  assert.equal(ok(await berth(['images', '-q', 'berthrt/*']), 'berth images'), '');
}

/** Loads file into a berth that has none of the test's images, and checks what load reports. */
async function freshLoad(file: string, expectedOut: string, what: string): Promise<void> {
  await berthRmi();
  assert.equal(ok(await berth(['load', '-i', file]), `berth load ${what}`), expectedOut, what);
}

async function loadAndCheck(file: string, ref: Reference, expectedOut: string, what: string): Promise<void> {
  await freshLoad(file, expectedOut, what);
  await assertBerthHas(ref, what);
}

/** a's Parent after a load is b, as Docker restores it from manifest.json, and history names b. */
async function assertParentKept(ref: Reference): Promise<void> {
  const inspect = await d.api('GET', `/images/${encodeURIComponent(A)}/json`);
  assert.equal(inspect.json.Parent, ref.a.parent);
  assert.deepEqual(await berthHistory(A), ref.a.history);
}

async function gzipFile(src: string): Promise<string> {
  await writeFile(`${src}.gz`, gzipSync(await readFile(src)));
  return `${src}.gz`;
}

/** The entries of a tar file, by name (without `./`), with their bodies. */
async function tarFiles(file: string): Promise<Map<string, Buffer>> {
  const ex = tarStream.extract();
  const out = new Map<string, Buffer>();
  ex.on('entry', (h, s, next) => {
    buffer(s).then((b) => { out.set(h.name.replace(/^\.\//, ''), b); next(); }, next);
  });
  const done = new Promise<void>((res, rej) => { ex.on('finish', res); ex.on('error', rej); });
  ex.end(await readFile(file));
  await done;
  return out;
}

interface ManifestItem { Config: string; RepoTags: string[] | null; Layers: string[]; Parent?: string }

/** What Docker 20.10's load reads of an archive: manifest.json and the files it names. */
async function manifestOf(file: string): Promise<{ manifest: ManifestItem[]; files: Map<string, Buffer> }> {
  const files = await tarFiles(file);
  return { manifest: JSON.parse(files.get('manifest.json')!.toString()) as ManifestItem[], files };
}

async function assertDockerLoadable(file: string, ref: Reference): Promise<void> {
  const { manifest, files } = await manifestOf(file);
  assert.equal(manifest.length, 2, JSON.stringify(manifest));
  for (const img of [ref.a, ref.b]) {
    const m = manifest.find((x) => sha256Of(files.get(x.Config)) === img.id);
    assert.ok(m, `no manifest.json entry for ${img.id}: ${JSON.stringify(manifest)}`);
    assert.deepEqual(m.RepoTags, img.tags);
    assert.deepEqual(m.Layers.map((l) => sha256Of(files.get(l))), img.diffIds);
  }
}
const sha256Of = (b: Buffer | undefined) => (b ? digestOf(b) : 'missing');

describe('save and load in Docker\'s archive format', async () => {
  const engine = await dockerPing();
  const made = new Set<string>(); // image IDs in Docker to remove

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-dimg-'));
    await d.start();
  });
  after(async () => {
    if (engine) {
      await docker(['rm', '-f', 'berthrt-c1']);
      await docker(['rmi', '-f', ...TAGS, 'berthrt/c:3', ...made]);
    }
    const died = d.proc?.exitCode !== null;
    await d.stop();
    if (work) await rm(work, { recursive: true, force: true });
    assert.ok(!died, `berthd exited during the tests: ${d.log}`);
  });

  describe('archives a Docker engine saves and loads', { skip: engine ? false : `no Docker engine answers on ${DOCKER_SOCK}` }, () => {
    let ref: Reference;
    let dockerSaved = '';
    let dockerLoadOut = '';

    async function dockerImage(tag: string): Promise<ImageRef> {
      const [img] = JSON.parse(ok(await docker(['image', 'inspect', tag]), 'docker inspect'));
      const history = lines(ok(await docker(['history', '--no-trunc', '--format', HISTORY_FMT, tag]), 'docker history'));
      return { id: img.Id, tags: img.RepoTags, diffIds: img.RootFS.Layers, history, parent: img.Parent, repoDigests: img.RepoDigests };
    }
    /** What Docker says of the loaded images. */
    async function dockerRef(): Promise<Reference> {
      const digests = lines(ok(await docker(['images', '--digests', '--format', DIGESTS_FMT, 'berthrt/*']), 'docker images')).sort();
      return { a: await dockerImage(A), b: await dockerImage(B), digests };
    }

    before(async () => {
      await docker(['rm', '-f', 'berthrt-c1']);
      await docker(['rmi', '-f', ...TAGS]);
      const rootfs = join(work, 'rootfs.tar');
      await writeFile(rootfs, await tarOf(await baseEntries()));
      made.add(ok(await docker(['import', '-m', 'berth rt base', '-c', 'CMD ["sh"]', rootfs, B]), 'docker import').trim());
      ok(await docker(['run', '--name', 'berthrt-c1', '--network', 'none', B, 'sh', '-c', 'echo added > /added.txt']), 'docker run');
      made.add(ok(await docker(['commit', '-m', 'adds a file', '-c', 'ENV RT=1', 'berthrt-c1', A]), 'docker commit').trim());
      ok(await docker(['rm', 'berthrt-c1']), 'docker rm');
      dockerSaved = join(work, 'docker-saved.tar');
      ok(await docker(['save', '-o', dockerSaved, A, B]), 'docker save');
      // The reference is Docker's view of the archive once loaded.
      ok(await docker(['rmi', A, B]), 'docker rmi');
      dockerLoadOut = ok(await docker(['load', '-i', dockerSaved]), 'docker load');
      ref = await dockerRef();
      made.add(ref.a.id).add(ref.b.id);
      assert.equal(ref.a.diffIds.length, 2);
      assert.equal(ref.a.parent, ref.b.id, 'Docker restores the parent a save recorded');
    });

    test('berth loads what docker saved: IDs, tags, layers, history, digests, and it runs', async () => {
      assert.deepEqual(lines(dockerLoadOut).sort(), lines(loadedLines(TAGS)), 'docker save writes the images in any order');
      await loadAndCheck(dockerSaved, ref, dockerLoadOut, 'docker-saved archive');
    });

    test('berth loads a gzip-compressed docker archive', async () => {
      await loadAndCheck(await gzipFile(dockerSaved), ref, dockerLoadOut, 'gzipped docker-saved archive');
    });

    test('docker loads what berth saved, with the same IDs, tags and history, and runs it', async () => {
      await freshLoad(dockerSaved, dockerLoadOut, 'docker-saved archive');
      const saved = join(work, 'berth-saved.tar');
      ok(await berth(['save', '-o', saved, A, B]), 'berth save');
      ok(await docker(['rmi', A, B]), 'docker rmi');
      assert.deepEqual(lines(ok(await docker(['load', '-i', saved]), 'docker load')).sort(), lines(loadedLines(TAGS)));
      const back = await dockerRef();
      assert.deepEqual({ ...back.a, history: ownRows(back.a.history), parent: '' }, { ...ref.a, history: ownRows(ref.a.history), parent: '' });
      assert.deepEqual(back.b, ref.b);
      assert.deepEqual(back.digests, ref.digests);
      const r = await docker(['run', '--rm', '--network', 'none', A, 'cat', '/added.txt']);
      assert.equal(r.stdout, ADDED, r.stderr);
    });

    test('the Parent docker save records survives docker -> berth -> docker', async () => {
      await freshLoad(dockerSaved, dockerLoadOut, 'docker-saved archive');
      await assertParentKept(ref);
      const saved = join(work, 'berth-saved-parent.tar');
      ok(await berth(['save', '-o', saved, A, B]), 'berth save');
      ok(await docker(['rmi', A, B]), 'docker rmi');
      ok(await docker(['load', '-i', saved]), 'docker load');
      assert.deepEqual(await dockerRef(), ref);
    });

    test('an untagged parent from the archive: images hides it, images -a shows it, rmi of its ID is refused, as in Docker', async () => {
      await freshLoad(dockerSaved, dockerLoadOut, 'docker-saved archive');
      await docker(['rmi', A, B]);
      ok(await docker(['load', '-i', dockerSaved]), 'docker load');
      const ours = [ref.a.id, ref.b.id].map((id) => hex(id).slice(0, 12));
      const views = async (cli: (args: string[]) => Promise<RunResult>) => {
        ok(await cli(['rmi', B]), 'rmi of the parent\'s tag');
        const list = async (args: string[]) => lines(ok(await cli(['images', ...args, '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']), 'images'))
          .filter((l) => ours.some((id) => l.endsWith(id))).sort();
        const out = { images: await list([]), all: await list(['-a']), dangling: await list(['--filter', 'dangling=true']), rmi: (await cli(['rmi', ref.b.id])).stderr.trim() };
        ok(await cli(['tag', ref.b.id, B]), 'tag');
        return out;
      };
      const inBerth = await views(berth);
      assert.deepEqual(inBerth, await views(docker));
      assert.equal(inBerth.all.length, 2);
    });

    test('docker loads berth\'s Parent: a committed image saved with its parent', async () => {
      await freshLoad(dockerSaved, dockerLoadOut, 'docker-saved archive');
      const c = 'berthrt/c:3';
      ok(await berth(['run', '--name', 'berthrt-c3', '--network', 'none', B, 'sh', '-c', 'echo c > /c.txt']), 'berth run');
      ok(await berth(['commit', '-m', 'c', 'berthrt-c3', c]), 'berth commit');
      ok(await berth(['rm', 'berthrt-c3']), 'berth rm');
      const saved = join(work, 'berth-saved-commit.tar');
      ok(await berth(['save', '-o', saved, c, B]), 'berth save');
      ok(await docker(['rmi', A, B]), 'docker rmi');
      ok(await docker(['load', '-i', saved]), 'docker load');
      const inC = await dockerImage(c);
      made.add(inC.id);
      assert.equal(inC.parent, ref.b.id);
      assert.deepEqual(inC.history.slice(1), ref.b.history, 'history below c names b, as in berth');
      assert.deepEqual(await berthHistory(c), inC.history);
      ok(await docker(['rmi', c]), 'docker rmi');
    });
  });

  describe('archives in Docker 20.10\'s save layout, built here', () => {
    let ref: Reference;
    let file = '';

    before(async () => {
      const fx = await legacyFixture();
      ref = fx.ref;
      file = join(work, 'legacy.tar');
      await writeFile(file, fx.archive);
    });

    test('berth loads it: IDs, tags, layers, history, digests, and it runs', async () => {
      await loadAndCheck(file, ref, loadedLines(TAGS), 'legacy archive');
    });

    test('berth loads it gzip-compressed', async () => {
      await loadAndCheck(await gzipFile(file), ref, loadedLines(TAGS), 'gzipped legacy archive');
    });

    test('berth saves what Docker 20.10 loads, and loads it back', async () => {
      await freshLoad(file, loadedLines(TAGS), 'legacy archive');
      const saved = join(work, 'berth-saved-fixture.tar');
      ok(await berth(['save', '-o', saved, ...TAGS]), 'berth save');
      await assertDockerLoadable(saved, ref);
      await loadAndCheck(saved, ref, loadedLines(TAGS), 'berth-saved archive');
    });

    test('the Parent in manifest.json survives a load', async () => {
      await freshLoad(file, loadedLines(TAGS), 'legacy archive');
      await assertParentKept(ref);
    });

    test('berth save names a committed image\'s Parent only when the parent is saved too', async () => {
      await freshLoad(file, loadedLines(TAGS), 'legacy archive');
      const c = 'berthrt/c:3';
      ok(await berth(['run', '--name', 'berthrt-c3', '--network', 'none', B, 'sh', '-c', 'echo c > /c.txt']), 'berth run');
      ok(await berth(['commit', '-m', 'c', 'berthrt-c3', c]), 'berth commit');
      ok(await berth(['rm', 'berthrt-c3']), 'berth rm');
      const cId = (await d.api('GET', `/images/${encodeURIComponent(c)}/json`)).json.Id;
      const both = join(work, 'berth-saved-c-b.tar');
      ok(await berth(['save', '-o', both, c, B]), 'berth save');
      const { manifest, files } = await manifestOf(both);
      const parentOf = (id: string) => manifest.find((m) => sha256Of(files.get(m.Config)) === id)?.Parent;
      assert.equal(parentOf(cId), ref.b.id, JSON.stringify(manifest));
      assert.equal(parentOf(ref.b.id), undefined);
      const alone = join(work, 'berth-saved-c.tar');
      ok(await berth(['save', '-o', alone, c]), 'berth save');
      assert.equal((await manifestOf(alone)).manifest[0].Parent, undefined);
      ok(await berth(['rmi', c]), 'berth rmi');
    });
  });

  describe('OCI layouts made by skopeo and umoci', { skip: SKOPEO && UMOCI ? false : 'skopeo or umoci not installed' }, () => {
    let ref: Reference;
    let saved = '';

    before(async () => {
      const fx = await legacyFixture();
      ref = fx.ref;
      const legacy = join(work, 'oci-src-legacy.tar');
      await writeFile(legacy, fx.archive);
      await berthRmi();
      ok(await berth(['load', '-i', legacy]), 'berth load');
      saved = join(work, 'oci-src-berth-saved.tar');
      ok(await berth(['save', '-o', saved, ...TAGS]), 'berth save');
      await berthRmi();
    });

    /** Loads an OCI layout (a dir, tarred here, or an archive) and returns the ID berth reports. */
    async function loadLayout(layout: string): Promise<string> {
      let file = layout;
      if (!layout.endsWith('.tar')) {
        file = `${layout}.tar`;
        ok(await run('tar', ['-C', layout, '-cf', file, '.']), 'tar');
      }
      const out = ok(await berth(['load', '-i', file]), `berth load ${file}`);
      const m = /^Loaded image ID: (sha256:[0-9a-f]{64})\n$/.exec(out);
      assert.ok(m, out);
      return m[1];
    }

    /** The config an OCI layout's (only) image points at, and its digest. */
    function layoutConfig(files: Map<string, Buffer>): { digest: string; config: { rootfs: { diff_ids: string[] } } } {
      const blob = (dg: string) => files.get(`blobs/sha256/${hex(dg)}`)!;
      const [desc] = JSON.parse(files.get('index.json')!.toString()).manifests;
      const digest = JSON.parse(blob(desc.digest).toString()).config.digest as string;
      return { digest, config: JSON.parse(blob(digest).toString()) };
    }
    const dirFiles = async (dir: string) => tarFiles(`${dir}.tar`);

    /** The image berth loaded is a's layers and history (under id, untagged), and sees /added.txt. */
    async function assertLikeA(id: string): Promise<void> {
      const inspect = await d.api('GET', `/images/${id}/json`);
      assert.equal(inspect.status, 200, inspect.body);
      assert.deepEqual(inspect.json.RootFS.Layers, ref.a.diffIds);
      assert.deepEqual(inspect.json.RepoTags, []);
      const history = [ref.a.history[0].replace(ref.a.id, id), ...ref.a.history.slice(1).map((r) => r.replace(/^[^|]*/, '<missing>'))];
      assert.deepEqual(await berthHistory(id), history);
      const r = await berth(['run', '--rm', '--network', 'none', id, 'cat', '/added.txt']);
      assert.equal(r.stdout, ADDED, r.stderr);
      ok(await berth(['rmi', id]), 'berth rmi');
    }

    test('skopeo oci: rewrites the config as OCI (a new ID) and gzips layers; berth loads it with the same layers and history', async () => {
      const dir = join(work, 'skopeo-oci');
      ok(await run(SKOPEO!, ['copy', '-q', `docker-archive:${saved}:${A}`, `oci:${dir}:rt`]), 'skopeo copy');
      const id = await loadLayout(dir);
      const { digest, config } = layoutConfig(await dirFiles(dir));
      assert.equal(id, digest);
      assert.notEqual(id, ref.a.id, 'skopeo kept the config: the ID should now be the original one');
      assert.deepEqual(config.rootfs.diff_ids, ref.a.diffIds);
      await assertLikeA(id);
    });

    test('skopeo oci --preserve-digests: the config is kept (uncompressed layers labelled tar.gzip), so the image ID is the original one', async () => {
      const dir = join(work, 'skopeo-oci-preserved');
      ok(await run(SKOPEO!, ['copy', '-q', '--preserve-digests', `docker-archive:${saved}:${A}`, `oci:${dir}:rt`]), 'skopeo copy');
      assert.equal(await loadLayout(dir), ref.a.id);
      await assertLikeA(ref.a.id);
    });

    test('skopeo oci-archive: berth loads the archive as it is', async () => {
      const file = join(work, 'skopeo-oci-archive.tar');
      ok(await run(SKOPEO!, ['copy', '-q', `docker-archive:${saved}:${A}`, `oci-archive:${file}:rt`]), 'skopeo copy');
      const id = await loadLayout(file);
      assert.equal(id, layoutConfig(await tarFiles(file)).digest);
      await assertLikeA(id);
    });

    /**
     * umoci init, new, insert of a busybox root (bin/hello.txt in it), insert of each extra
     * file, config; returns the ID berth loads it as, checked against the layout. umoci ends
     * its layer tars without the two zero blocks of an end-of-archive.
     */
    async function umociImage(name: string, extra: Record<string, string>, cmd: string[]): Promise<string> {
      const dir = join(work, name);
      const root = join(work, `${name}-root`);
      await mkdir(join(root, 'bin'), { recursive: true });
      await writeFile(join(root, 'bin', 'busybox'), await readFile('/bin/busybox'), { mode: 0o755 });
      await writeFile(join(root, 'bin', 'hello.txt'), 'hello from umoci\n');
      for (const l of ['cat', 'sh']) await symlink('busybox', join(root, 'bin', l)); // the tar's last entry: no data
      const image = `${dir}:t`;
      ok(await run(UMOCI!, ['init', '--layout', dir]), 'umoci init');
      ok(await run(UMOCI!, ['new', '--image', image]), 'umoci new');
      ok(await run(UMOCI!, ['insert', '--image', image, root, '/']), 'umoci insert');
      for (const [path, text] of Object.entries(extra)) {
        const src = join(work, `${name}-extra`);
        await writeFile(src, text);
        ok(await run(UMOCI!, ['insert', '--image', image, src, path]), 'umoci insert');
      }
      ok(await run(UMOCI!, ['config', '--image', image, ...cmd.flatMap((c) => ['--config.cmd', c])]), 'umoci config');
      const id = await loadLayout(dir);
      const { digest, config } = layoutConfig(await dirFiles(dir));
      assert.equal(id, digest);
      const inspect = await d.api('GET', `/images/${id}/json`);
      assert.deepEqual(inspect.json.RootFS.Layers, config.rootfs.diff_ids);
      assert.equal(config.rootfs.diff_ids.length, 1 + Object.keys(extra).length);
      const history = lines(ok(await berth(['history', '--no-trunc', '--format', '{{.CreatedBy}}', id]), 'berth history'));
      assert.deepEqual(history, ['umoci config', ...config.rootfs.diff_ids.map(() => 'umoci insert')]);
      return id;
    }

    test('umoci: a layout made by new, insert and config loads and runs', async () => {
      const id = await umociImage('umoci', {}, ['cat', '/bin/hello.txt']);
      const r = await berth(['run', '--rm', '--network', 'none', id]);
      assert.equal(r.stdout, 'hello from umoci\n', r.stderr);
      ok(await berth(['rmi', id]), 'berth rmi');
    });

    // umoci's one-file layer stops inside the padding after the file's data. Go's archive/tar,
    // so Docker (checked with 20.10 via skopeo docker-archive), reads that as the end.
    test('umoci insert of one file: a layer tar cut off in its last padding block loads as Docker loads it', async () => {
      const id = await umociImage('umoci-file', { '/hello.txt': 'one file\n' }, ['cat', '/hello.txt']);
      const r = await berth(['run', '--rm', '--network', 'none', id]);
      assert.equal(r.stdout, 'one file\n', r.stderr);
      ok(await berth(['rmi', id]), 'berth rmi');
    });
  });
});
