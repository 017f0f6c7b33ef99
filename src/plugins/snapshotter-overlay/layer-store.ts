import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { hexOf, sha256, type Digest } from '../../lib/digest';
import { extractTar, maybeGunzip, UnsafeTarEntry } from '../../lib/tar';
import { InvalidArgument, NotFound } from '../../errdefs';
import { mknod, setXattr } from '../../sys/mount';

export interface ApplyLayerOptions {
  /** Chain ID of the layer below, undefined for the bottom layer. */
  parent?: string;
  /** The diffID the image config promises; a mismatch rejects the layer. */
  expectedDiffId?: string;
  /** The layer tar, gzip-compressed or not. */
  input: Readable;
  /** Sees every uncompressed byte (the caller keeps the tar as a blob). */
  tap?: (chunk: Buffer) => void;
}

export interface AppliedLayer { diffId: Digest; chainId: Digest; size: number }

export interface LayerInfo { chainId: string; parent?: string; link: string; size: number; diffDir: string }

const LINK_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function newLink(): string {
  const b = randomBytes(26);
  return [...b].map((x) => LINK_ALPHABET[x & 31]).join('');
}

/**
 * Unpacked layers under `<root>/layers/<chain hex>/` (`diff/`, `link`, `lower`, `parent`,
 * `size`), keyed by chain ID and shared by every image. `<root>/l/<link>` are short symlinks
 * to each `diff/` so overlay's `lowerdir=` option stays under one page for deep images.
 * A layer appears complete or not at all: it is unpacked in `<root>/tmp/` and renamed into place.
 */
export class OverlayLayerStore {
  constructor(readonly root: string) {}

  async init(): Promise<void> {
    for (const d of ['layers', 'l', 'empty']) await mkdir(join(this.root, d), { recursive: true });
    await rm(join(this.root, 'tmp'), { recursive: true, force: true });
    await mkdir(join(this.root, 'tmp'), { recursive: true });
  }

  private dir(chainId: string): string { return join(this.root, 'layers', hexOf(chainId)); }

  async has(chainId: string): Promise<boolean> {
    try { await stat(join(this.dir(chainId), 'link')); return true; } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /** NotFound if the layer is not present. */
  async get(chainId: string): Promise<LayerInfo> {
    const dir = this.dir(chainId);
    try {
      const [link, size, parent] = await Promise.all([
        readFile(join(dir, 'link'), 'utf8'),
        readFile(join(dir, 'size'), 'utf8'),
        readFile(join(dir, 'parent'), 'utf8'),
      ]);
      return { chainId, parent: parent || undefined, link, size: Number(size), diffDir: join(dir, 'diff') };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFound(`layer ${chainId} not found`, { cause: err });
      throw err;
    }
  }

  /** The `lowerdir=` list for a stack whose top is chainId (relative to root, top-most first). */
  async lowerOf(chainId: string | undefined): Promise<string[]> {
    if (!chainId) return ['empty'];
    return (await readFile(join(this.dir(chainId), 'lower'), 'utf8')).split(':');
  }

  async diffDirs(chainId: string | undefined): Promise<string[]> {
    const out: string[] = [];
    for (let c = chainId; c; c = (await this.get(c)).parent) out.push(join(this.dir(c), 'diff'));
    return out;
  }

  /**
   * Unpacks a layer on top of parent. Verifies the tar's digest against expectedDiffId
   * (InvalidArgument naming both digests); an already-present layer is verified but not unpacked again.
   */
  async apply(opts: ApplyLayerOptions): Promise<AppliedLayer> {
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _enc, cb) { hash.update(chunk); opts.tap?.(chunk); cb(null, chunk); },
    });
    const expectedChain = opts.expectedDiffId ? (opts.parent ? sha256(`${opts.parent} ${opts.expectedDiffId}`) : opts.expectedDiffId) : undefined;
    const skipUnpack = expectedChain !== undefined && (await this.has(expectedChain));
    const tmp = join(this.root, 'tmp', randomBytes(8).toString('hex'));
    try {
      const uncompressed = await maybeGunzip(opts.input);
      uncompressed.on('error', (e) => hashing.destroy(e));
      uncompressed.pipe(hashing);
      let size = 0;
      if (skipUnpack) {
        for await (const _ of hashing) { /* verify only */ }
      } else {
        await mkdir(join(tmp, 'diff'), { recursive: true });
        const root = process.getuid?.() === 0;
        size = (await extractTar(hashing, join(tmp, 'diff'), root ? { mknod, setOpaque: (d) => setXattr(d, 'trusted.overlay.opaque', 'y') } : {})).size;
      }
      const diffId = `sha256:${hash.digest('hex')}` as Digest;
      if (opts.expectedDiffId && diffId !== opts.expectedDiffId) {
        throw new InvalidArgument(`layer diffID mismatch: image config rootfs.diff_ids has ${opts.expectedDiffId}, but the layer tar's digest is ${diffId}`);
      }
      const chainId = (opts.parent ? sha256(`${opts.parent} ${diffId}`) : diffId) as Digest;
      if (skipUnpack || (await this.has(chainId))) return { diffId, chainId, size: skipUnpack ? (await this.get(chainId)).size : size };
      const link = newLink();
      const parentLower = opts.parent ? await this.lowerOf(opts.parent) : [];
      await writeFile(join(tmp, 'link'), link);
      await writeFile(join(tmp, 'lower'), [`l/${link}`, ...parentLower].join(':'));
      await writeFile(join(tmp, 'parent'), opts.parent ?? '');
      await writeFile(join(tmp, 'size'), String(size));
      await symlink(`../layers/${hexOf(chainId)}/diff`, join(this.root, 'l', link));
      try {
        await rename(tmp, this.dir(chainId));
      } catch (err) {
        await rm(join(this.root, 'l', link), { force: true });
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      }
      return { diffId, chainId, size };
    } catch (err) {
      opts.input.destroy();
      if (err instanceof UnsafeTarEntry) throw new InvalidArgument(err.message, { cause: err });
      throw err;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  /** Chain IDs of every layer on disk. */
  async list(): Promise<string[]> {
    return (await readdir(join(this.root, 'layers'))).map((h) => `sha256:${h}`);
  }

  /** Removes a layer and its short link; absent is fine. */
  async remove(chainId: string): Promise<void> {
    const dir = this.dir(chainId);
    let link = '';
    try { link = await readFile(join(dir, 'link'), 'utf8'); } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const doomed = join(this.root, 'tmp', `rm-${randomBytes(6).toString('hex')}`);
    try { await rename(dir, doomed); } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (link) await rm(join(this.root, 'l', link), { force: true });
    await rm(doomed, { recursive: true, force: true });
  }
}
