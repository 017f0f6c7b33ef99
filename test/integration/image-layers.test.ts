/**
 * Layers are unpacked once per chain ID and shared by every image and container standing on
 * them; a layer goes from disk only with its last user (image or container). Checked on the
 * daemon's own dirs: `<dataRoot>/overlay/layers/<chain hex>/` and the layer tars kept as blobs
 * under `<dataRoot>/image/blobs/`, with real disk usage (`du`).
 *
 * The tests run in order over one pair of images: A, imported (busybox + a 6 MiB random file),
 * and B, committed from a container of A (A's layer + one small layer).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDaemon, run } from '../harness';

const d = new TestDaemon('lay');
const A = 'laytest/a:1';
const B = 'laytest/b:1';
const BIG = 6 * 1024 * 1024;
let tmp = '';
/** Layer dirs and disk usage of the daemon with only busybox. */
let baseline: { layers: Set<string>; bytes: number };
/** Bytes of A's rootfs: its layer takes that twice on disk (unpacked, and the tar). */
let rootfsBytes = 0;

const layersDir = () => join(d.dataRoot, 'overlay', 'layers');

async function layerDirs(): Promise<Set<string>> {
  return new Set(await readdir(layersDir()));
}

/** Layer dirs this file's images added (busybox's are not counted). */
async function newLayerDirs(): Promise<string[]> {
  return [...(await layerDirs())].filter((h) => !baseline.layers.has(h)).sort();
}

/** Bytes on disk (`du -sb`) of paths together. */
async function du(...paths: string[]): Promise<number> {
  const r = await run('du', ['-sb', '--total', ...paths]);
  assert.equal(r.code, 0, r.stderr);
  return Number(/^(\d+)\s+total$/m.exec(r.stdout)?.[1]);
}

/** Bytes on disk of the unpacked layers and the layer tars. */
function diskBytes(): Promise<number> {
  return du(layersDir(), join(d.dataRoot, 'image', 'blobs'));
}

/** Disk growth over the baseline for A and B: A's layer twice (unpacked + tar), not three times. */
function assertOneCopy(grown: number): void {
  assert.ok(grown > 1.9 * rootfsBytes && grown < 2.5 * rootfsBytes, `disk grew by ${grown} bytes for a rootfs of ${rootfsBytes}`);
}

async function cli(args: string[]): Promise<string> {
  const r = await d.cli(args);
  assert.equal(r.code, 0, `berth ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The chain IDs' hex of an image's layers, bottom first. */
async function chainHexes(ref: string): Promise<string[]> {
  const diffIds = JSON.parse(await cli(['image', 'inspect', '-f', '{{json .RootFS.Layers}}', ref])) as string[];
  const chains: string[] = [];
  for (const id of diffIds) chains.push(chains.length ? `sha256:${createHash('sha256').update(`${chains[chains.length - 1]} ${id}`).digest('hex')}` : id);
  return chains.map((c) => c.slice(7));
}

async function hasImage(ref: string): Promise<boolean> {
  return (await d.cli(['image', 'inspect', ref])).code === 0;
}

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'berth-lay-test-'));
  await d.start();
  baseline = { layers: await layerDirs(), bytes: await diskBytes() };

  const root = join(tmp, 'rootfs');
  await mkdir(join(root, 'bin'), { recursive: true });
  await copyFile('/bin/busybox', join(root, 'bin', 'busybox'));
  await copyFile('/bin/busybox', join(root, 'bin', 'sh'));
  for (const dir of ['etc', 'tmp', 'proc', 'sys', 'dev', 'data']) await mkdir(join(root, dir), { recursive: true });
  await writeFile(join(root, 'data', 'big.bin'), randomBytes(BIG));
  const t = await run('tar', ['-C', root, '-cf', join(tmp, 'rootfs.tar'), '.']);
  assert.equal(t.code, 0, t.stderr);
  rootfsBytes = await du(root);
});
after(async () => {
  await d.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('an image committed from a container of another stands on its layer: one dir per chain ID', async () => {
  await cli(['import', join(tmp, 'rootfs.tar'), A]);
  await cli(['run', '--name', 'laytest-c1', A, '/bin/busybox', 'sh', '-c', 'echo from-b > /b.txt']);
  await cli(['commit', 'laytest-c1', B]);
  await cli(['rm', 'laytest-c1']);

  const [a, b] = [await chainHexes(A), await chainHexes(B)];
  assert.equal(a.length, 1);
  assert.deepEqual(b.slice(0, 1), a, 'B is A plus one layer');
  assert.equal(b.length, 2);
  assert.deepEqual(await newLayerDirs(), [...b].sort(), 'A and B together unpacked two layers, A\'s once');
  assertOneCopy((await diskBytes()) - baseline.bytes);
});

test('save of two images writes the shared layer once; rmi of both frees the disk; load unpacks the base once', async () => {
  const archive = join(tmp, 'two.tar');
  await cli(['save', '-o', archive, A, B]);
  const listing = await run('tar', ['-tf', archive]);
  assert.equal(listing.code, 0, listing.stderr);
  const [a] = await chainHexes(A);
  assert.equal(listing.stdout.split('\n').filter((n) => n.includes(a) && !n.endsWith('/')).length, 1, listing.stdout);

  await cli(['rmi', A, B]);
  assert.deepEqual(await newLayerDirs(), []);
  const freed = (await diskBytes()) - baseline.bytes;
  assert.ok(freed < BIG / 4, `disk still holds ${freed} bytes over the baseline after rmi of both`);

  const out = await cli(['load', '-i', archive]);
  assert.match(out, /Loaded image: laytest\/a:1/);
  assert.match(out, /Loaded image: laytest\/b:1/);
  assert.deepEqual(await newLayerDirs(), [...(await chainHexes(B))].sort());
  assertOneCopy((await diskBytes()) - baseline.bytes);
});

test('removing A keeps the layer B stands on, and B still runs', async () => {
  const b = await chainHexes(B);
  await cli(['rmi', A]);
  assert.equal(await hasImage(A), false);
  assert.deepEqual(await newLayerDirs(), [...b].sort());
  const out = await cli(['run', '--rm', B, '/bin/busybox', 'sh', '-c', 'cat /b.txt; wc -c < /data/big.bin']);
  assert.equal(out, `from-b\n${BIG}\n`);
});

test('a container keeps its image\'s layers after rmi -f until it is removed; then the disk is freed', async () => {
  const b = await chainHexes(B);
  await cli(['create', '--name', 'laytest-c2', B, '/bin/busybox', 'sh', '-c', 'cat /b.txt; wc -c < /data/big.bin']);
  await cli(['rmi', '-f', B]);
  assert.equal(await hasImage(B), false);
  assert.deepEqual(await newLayerDirs(), [...b].sort(), 'the container still stands on both layers');
  assert.ok((await diskBytes()) - baseline.bytes > BIG, 'the unpacked layer is still on disk');

  const started = await d.cli(['start', '-a', 'laytest-c2']);
  assert.equal(started.stdout, `from-b\n${BIG}\n`, started.stderr);

  await cli(['rm', 'laytest-c2']);
  assert.deepEqual(await newLayerDirs(), []);
  const left = (await diskBytes()) - baseline.bytes;
  assert.ok(left < BIG / 4, `disk still holds ${left} bytes over the baseline after the last user went`);
});
