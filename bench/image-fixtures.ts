/**
 * Image archives for the load/save cases, in the format `docker save` writes and both engines
 * load: `manifest.json`, `repositories`, the config as `<hex>.json` and each layer as
 * `<diffID hex>/layer.tar` (uncompressed, so its digest is the config's diff_id).
 *
 * Content is deterministic (an AES-CTR keystream: incompressible, fast, the same every run),
 * so the image ID is the same for every engine and every run.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';

export interface ImageArchive {
  /** The archive file, for `load -i`. */
  path: string;
  /** The tag the archive carries (`repo:tag`). */
  ref: string;
  /** The image ID (`sha256:` + digest of the config), the same in every engine. */
  id: string;
  /** Uncompressed bytes of all layer tars. */
  layerBytes: number;
  layers: number;
  files: number;
}

const MiB = 1024 * 1024;
const MTIME = new Date('2024-01-01T00:00:00Z');

/** A deterministic incompressible byte stream. */
class Keystream {
  private readonly cipher;
  constructor(seed: string) {
    const key = createHash('sha256').update(seed).digest();
    this.cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  }
  take(n: number): Buffer { return this.cipher.update(Buffer.alloc(n)); }
}

/** mulberry32: a small seeded PRNG for file sizes, returning [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface FileSpec { path: string; size: number }
type EntryHeader = Partial<tar.Header> & { name: string };

/**
 * Writes a layer tar of `files` (with their parent directories, root-owned, fixed mtime)
 * to `file`; returns its diffID and size.
 */
async function writeLayerTar(file: string, files: FileSpec[], bytes: Keystream): Promise<{ diffId: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({ transform(chunk: Buffer, _e, cb) { hash.update(chunk); size += chunk.length; cb(null, chunk); } });
  const pack = tar.pack();
  const done = pipeline(pack, tap, createWriteStream(file));
  const entry = (h: EntryHeader, body?: Buffer) => new Promise<void>((res, rej) => {
    const header = { uid: 0, gid: 0, uname: 'root', gname: 'root', mtime: MTIME, ...h } as tar.Header;
    pack.entry(header, body ?? Buffer.alloc(0), (err) => (err ? rej(err) : res()));
  });
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.path.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (dirs.has(d)) continue;
      dirs.add(d);
      await entry({ name: `${d}/`, type: 'directory', mode: 0o755 });
    }
    await entry({ name: f.path, type: 'file', mode: 0o644, size: f.size }, bytes.take(f.size));
  }
  pack.finalize();
  await done;
  return { diffId: `sha256:${hash.digest('hex')}`, size };
}

/** Files of mixed sizes adding up to exactly `total` bytes, spread over a two-level tree under `root`. */
function mixedFiles(root: string, total: number, seed: number): FileSpec[] {
  const rnd = prng(seed);
  const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo));
  const files: FileSpec[] = [];
  for (let left = total, n = 0; left > 0; n++) {
    const p = rnd();
    // mostly small files, some medium, a few large: ~80 KB on average
    const size = Math.min(left, p < 0.8 ? between(0, 16 * 1024) : p < 0.99 ? between(16 * 1024, 256 * 1024) : between(2 * MiB, 8 * MiB));
    files.push({ path: `${root}/d${String(n % 40).padStart(2, '0')}/e${String(n % 7)}/f${n}.bin`, size });
    left -= size;
  }
  return files;
}

function hostArch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}

/** Writes the Docker archive of one image made of the given layer tars (bottom first); removes them. */
async function writeArchive(path: string, ref: string, layers: Array<{ file: string; diffId: string }>): Promise<string> {
  const config = Buffer.from(JSON.stringify({
    architecture: hostArch(),
    os: 'linux',
    created: MTIME.toISOString(),
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['/bin/sh'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((_, i) => ({ created: MTIME.toISOString(), created_by: `berth bench fixture layer ${i}` })),
  }));
  const configHex = createHash('sha256').update(config).digest('hex');
  const [repo, tag] = [ref.slice(0, ref.lastIndexOf(':')), ref.slice(ref.lastIndexOf(':') + 1)];
  const layerPaths = layers.map((l) => `${l.diffId.slice(7)}/layer.tar`);
  const manifest = Buffer.from(JSON.stringify([{ Config: `${configHex}.json`, RepoTags: [ref], Layers: layerPaths }]));
  const repositories = Buffer.from(JSON.stringify({ [repo]: { [tag]: layers[layers.length - 1].diffId.slice(7) } }));

  const pack = tar.pack();
  const done = pipeline(pack, createWriteStream(path));
  const entry = (h: EntryHeader, body: Buffer) => new Promise<void>((res, rej) => {
    pack.entry({ mtime: MTIME, mode: 0o644, ...h } as tar.Header, body, (err) => (err ? rej(err) : res()));
  });
  for (const [i, l] of layers.entries()) {
    await entry({ name: `${l.diffId.slice(7)}/`, type: 'directory', mode: 0o755 }, Buffer.alloc(0));
    const size = (await stat(l.file)).size;
    await pipeline(createReadStream(l.file), pack.entry({ name: layerPaths[i], size, mtime: MTIME, mode: 0o644 } as tar.Header));
    await rm(l.file);
  }
  await entry({ name: `${configHex}.json` }, config);
  await entry({ name: 'manifest.json' }, manifest);
  await entry({ name: 'repositories' }, repositories);
  pack.finalize();
  await done;
  return `sha256:${configHex}`;
}

/**
 * One layer of `totalBytes` (default 200 MiB) of random files of mixed sizes (a few thousand),
 * written to `<dir>/big.tar` tagged `ref`.
 */
export async function makeBigImage(dir: string, ref: string, totalBytes = 200 * MiB): Promise<ImageArchive> {
  const files = mixedFiles('usr/share/bench', totalBytes, 1);
  const layer = join(dir, 'big-layer.tar');
  const { diffId, size } = await writeLayerTar(layer, files, new Keystream('big'));
  const path = join(dir, 'big.tar');
  const id = await writeArchive(path, ref, [{ file: layer, diffId }]);
  return { path, ref, id, layerBytes: size, layers: 1, files: files.length };
}

/** `count` layers (default 20) of ~`layerBytes` each (16 files per layer), written to `<dir>/layered.tar`. */
export async function makeLayeredImage(dir: string, ref: string, count = 20, layerBytes = MiB): Promise<ImageArchive> {
  const bytes = new Keystream('layered');
  const layers: Array<{ file: string; diffId: string }> = [];
  let total = 0;
  let nfiles = 0;
  for (let i = 0; i < count; i++) {
    const per = Math.floor(layerBytes / 16);
    const files = Array.from({ length: 16 }, (_, k) => ({ path: `opt/layer${String(i).padStart(2, '0')}/f${k}.bin`, size: per }));
    const file = join(dir, `layered-${i}.tar`);
    const { diffId, size } = await writeLayerTar(file, files, bytes);
    layers.push({ file, diffId });
    total += size;
    nfiles += files.length;
  }
  const path = join(dir, 'layered.tar');
  const id = await writeArchive(path, ref, layers);
  return { path, ref, id, layerBytes: total, layers: count, files: nfiles };
}
