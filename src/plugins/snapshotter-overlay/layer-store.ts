import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, symlink } from 'node:fs/promises';
import { readIfPresent, syncDir, writeFileSynced } from '../../lib/atomic-file';
import { join } from 'node:path';
import { pipeline, Transform, type Readable } from 'node:stream';
import { hexOf, sha256, type Digest } from '../../lib/digest';
import { extractTar, maybeGunzip, MalformedTar, UnsafeTarEntry } from '../../lib/tar';
import { FailedPrecondition, InvalidArgument, NotFound } from '../../errdefs';
import { markTopDir, mknod, setXattr } from '../../sys/mount';
import { StagingSlots } from './staging-slots';

export interface UnpackOptions {
  /** Sees every uncompressed byte as it streams (the caller keeps the tar as a blob). */
  tap?: (chunk: Buffer) => void;
}

export interface ApplyLayerOptions extends UnpackOptions {
  /** Chain ID of the layer below, undefined for the bottom layer. */
  parent?: string;
  /** The diffID the image config promises; a mismatch rejects the layer. */
  expectedDiffId?: string;
  /** The layer tar, gzip-compressed or not. */
  input: Readable;
}

export interface AppliedLayer { diffId: Digest; chainId: Digest; size: number }

/**
 * A layer unpacked under `<root>/staging/` and in no chain yet: a diff's content does not depend
 * on the layer below, only the chain's metadata does, so a layer can be unpacked before its
 * place in an image is known. commitStaged or discard consumes it.
 */
export interface StagedLayer {
  readonly diffId: Digest;
  /** Bytes as Docker counts them (regular files plus symlink targets). */
  readonly size: number;
  /** The staging dir; its `diff/` becomes the layer's. */
  readonly dir: string;
  /** The staging slot it was unpacked in (see StagingSlots); none for a dir staged elsewhere (a build's upperdir). */
  readonly slot?: number;
}

export interface LayerInfo { chainId: string; parent?: string; link: string; size: number; diffDir: string }

const LINK_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function newLink(): string {
  const b = randomBytes(26);
  return [...b].map((x) => LINK_ALPHABET[x & 31]).join('');
}

/**
 * The layer tar, decompressed, each chunk shown to tap and, when hash, hashed: digest() once
 * it has ended. Destroying the stream (a failed extraction) destroys input too.
 */
async function decompressed(input: Readable, opts: { tap?: (chunk: Buffer) => void; hash: boolean }): Promise<{ stream: Readable; digest: () => Digest }> {
  const hash = opts.hash ? createHash('sha256') : undefined;
  const digest = () => `sha256:${hash!.digest('hex')}` as Digest;
  const tap = opts.tap;
  const plain = await maybeGunzip(input);
  if (!hash && !tap) {
    // an error before the reader listens (a bad gzip) must not go uncaught: the reader still sees it
    plain.on('error', () => undefined);
    return { stream: plain, digest };
  }
  const seeing = new Transform({
    transform(chunk: Buffer, _enc, cb) { hash?.update(chunk); tap?.(chunk); cb(null, chunk); },
  });
  return { stream: pipeline(plain, seeing, () => { /* errors surface on seeing */ }), digest };
}

/** Bad tar content is the caller's input: InvalidArgument with the extractor's words. */
function asInvalid(err: unknown): unknown {
  return err instanceof UnsafeTarEntry || err instanceof MalformedTar ? new InvalidArgument(err.message, { cause: err }) : err;
}

/**
 * Unpacked layers under `<root>/layers/<chain hex>/` (`diff/`, `link`, `lower`, `parent`,
 * `size`, and `slot` when unpacked here), keyed by chain ID and shared by every image.
 * `<root>/l/<link>` are short symlinks to each `diff/` so overlay's `lowerdir=` option stays
 * under one page for deep images. A layer appears complete or not at all: it is unpacked in
 * a slot of `<root>/staging/` (unpack, a staged layer) and renamed into place once its parent
 * is known (commitStaged). `<root>/tmp/` holds layers being removed, and what other code
 * stages there (a build step's upperdir).
 */
export class OverlayLayerStore {
  private readonly staging: StagingSlots;

  constructor(readonly root: string) {
    this.staging = new StagingSlots(join(root, 'staging'));
  }

  async init(): Promise<void> {
    for (const d of ['layers', 'l', 'empty']) await mkdir(join(this.root, d), { recursive: true });
    await rm(join(this.root, 'tmp'), { recursive: true, force: true });
    await mkdir(join(this.root, 'tmp'), { recursive: true });
    await this.staging.init(markTopDir);
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
    try {
      return (await readFile(join(this.dir(chainId), 'lower'), 'utf8')).split(':');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFound(`layer ${chainId} not found`, { cause: err });
      throw err;
    }
  }

  async diffDirs(chainId: string | undefined): Promise<string[]> {
    const out: string[] = [];
    for (let c = chainId; c; c = (await this.get(c)).parent) out.push(join(this.dir(c), 'diff'));
    return out;
  }

  /**
   * Unpacks a layer tar (gzip-compressed or not) into a new staging dir, hashing it as it
   * streams (the staged layer's diffId is the digest of the uncompressed tar; the extractor
   * computes it, off this thread). Bad tar content is an InvalidArgument; on any failure
   * input is destroyed and nothing is left behind.
   */
  async unpack(input: Readable, opts: UnpackOptions = {}): Promise<StagedLayer> {
    const { slot, dir } = this.staging.take(randomBytes(8).toString('hex'));
    try {
      await mkdir(join(dir, 'diff'), { recursive: true });
      const { stream } = await decompressed(input, { tap: opts.tap, hash: false });
      const hooks = process.getuid?.() === 0 ? { mknod, setOpaque: (d: string) => setXattr(d, 'trusted.overlay.opaque', 'y') } : {};
      const { size, digest } = await extractTar(stream, join(dir, 'diff'), { ...hooks, digest: true });
      return { diffId: digest as Digest, size, dir, slot };
    } catch (err) {
      input.destroy();
      this.staging.freed(slot);
      await rm(dir, { recursive: true, force: true });
      throw asInvalid(err);
    }
  }

  /**
   * Makes a staged layer the layer on top of parent (chain ID sha256(parent + " " + diffID)).
   * When that chain is already present (another image, a concurrent load) it is kept and
   * the staged copy dropped. The staged layer is consumed either way; committing it twice
   * is a FailedPrecondition.
   */
  async commitStaged(staged: StagedLayer, parent?: string): Promise<AppliedLayer> {
    const diffId = staged.diffId;
    const chainId = (parent ? sha256(`${parent} ${diffId}`) : diffId) as Digest;
    let moved = false;
    try {
      if (await this.has(chainId)) return { diffId, chainId, size: (await this.get(chainId)).size };
      try { await stat(join(staged.dir, 'diff')); } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new FailedPrecondition(`staged layer ${diffId} was already committed or discarded`, { cause: err });
        throw err;
      }
      const link = newLink();
      const parentLower = parent ? await this.lowerOf(parent) : [];
      // The metadata is synced before the dir is renamed into place, and the rename after: a
      // machine crash leaves the layer whole or absent, never a layer with cut metadata.
      await Promise.all([
        writeFileSynced(join(staged.dir, 'link'), link),
        writeFileSynced(join(staged.dir, 'lower'), [`l/${link}`, ...parentLower].join(':')),
        writeFileSynced(join(staged.dir, 'parent'), parent ?? ''),
        writeFileSynced(join(staged.dir, 'size'), String(staged.size)),
        ...(staged.slot === undefined ? [] : [writeFileSynced(join(staged.dir, 'slot'), String(staged.slot))]),
        symlink(`../layers/${hexOf(chainId)}/diff`, join(this.root, 'l', link)),
      ]);
      await Promise.all([syncDir(staged.dir), syncDir(join(this.root, 'l'))]);
      try {
        await rename(staged.dir, this.dir(chainId));
        moved = true;
        await syncDir(join(this.root, 'layers'));
      } catch (err) {
        await rm(join(this.root, 'l', link), { force: true });
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
        return { diffId, chainId, size: (await this.get(chainId)).size }; // a concurrent commit won
      }
      return { diffId, chainId, size: staged.size };
    } finally {
      if (!moved) await this.discard(staged);
    }
  }

  /** Removes a staged layer that will not be committed; a consumed one is fine. */
  async discard(staged: StagedLayer): Promise<void> {
    if (staged.slot !== undefined) this.staging.freed(staged.slot);
    await rm(staged.dir, { recursive: true, force: true });
  }

  /**
   * Unpacks a layer on top of parent: unpack then commitStaged. Verifies the tar's digest
   * against expectedDiffId (InvalidArgument naming both digests); when the expected chain
   * is already present the tar is only hashed, not unpacked again.
   */
  async apply(opts: ApplyLayerOptions): Promise<AppliedLayer> {
    const expectedChain = opts.expectedDiffId ? (opts.parent ? sha256(`${opts.parent} ${opts.expectedDiffId}`) : opts.expectedDiffId) : undefined;
    const mismatch = (diffId: string) => new InvalidArgument(`layer diffID mismatch: image config rootfs.diff_ids has ${opts.expectedDiffId}, but the layer tar's digest is ${diffId}`);
    if (expectedChain !== undefined && (await this.has(expectedChain))) {
      let diffId: Digest;
      try {
        const { stream, digest } = await decompressed(opts.input, { tap: opts.tap, hash: true });
        for await (const _ of stream) { /* verify only */ }
        diffId = digest();
      } catch (err) {
        opts.input.destroy();
        throw asInvalid(err);
      }
      if (diffId !== opts.expectedDiffId) throw mismatch(diffId);
      return { diffId, chainId: expectedChain as Digest, size: (await this.get(expectedChain)).size };
    }
    const staged = await this.unpack(opts.input, { tap: opts.tap });
    if (opts.expectedDiffId && staged.diffId !== opts.expectedDiffId) {
      await this.discard(staged);
      throw mismatch(staged.diffId);
    }
    return this.commitStaged(staged, opts.parent);
  }

  /** Chain IDs of every layer on disk. */
  async list(): Promise<string[]> {
    return (await readdir(join(this.root, 'layers'))).map((h) => `sha256:${h}`);
  }

  /** Removes a layer and its short link; absent is fine. */
  async remove(chainId: string): Promise<void> {
    const dir = this.dir(chainId);
    const [link, slot] = await Promise.all([readIfPresent(join(dir, 'link')), readIfPresent(join(dir, 'slot'))]);
    const doomed = join(this.root, 'tmp', `rm-${randomBytes(6).toString('hex')}`);
    try { await rename(dir, doomed); } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (link) await rm(join(this.root, 'l', link), { force: true });
    if (slot) this.staging.freed(Number(slot));
    await rm(doomed, { recursive: true, force: true });
  }
}
