import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { hexOf, isDigest, type Digest } from '../../lib/digest';
import { nodeAtomicFs, removeAtomicTemps, syncDir, writeFileAtomic, type AtomicFs } from '../../lib/atomic-file';
import { InvalidArgument, NotFound } from '../../errdefs';

const READ_CHUNK = 1 << 20;

/** A blob being written: chunks in, then commit (digest checked) or abort. */
export interface BlobWriter {
  write(chunk: Buffer): void;
  commit(expected?: Digest): Promise<{ digest: Digest; size: number }>;
  abort(): Promise<void>;
}

/**
 * Content-addressed blobs under `<root>/blobs/sha256/<hex>`: image configs and the
 * uncompressed layer tars (kept so `save` can reproduce layers byte for byte).
 */
export class LocalBlobStore {
  /** fs: the file operations of put (small blobs); the streaming writer uses the real file system. */
  constructor(private readonly root: string, private readonly fs: AtomicFs = nodeAtomicFs) {}

  async init(): Promise<void> {
    await mkdir(join(this.root, 'blobs', 'sha256'), { recursive: true });
    await removeAtomicTemps(join(this.root, 'blobs', 'sha256')); // puts a crash cut short
    await rm(join(this.root, 'ingest'), { recursive: true, force: true });
    await mkdir(join(this.root, 'ingest'), { recursive: true });
  }

  path(digest: string): string {
    if (!isDigest(digest)) throw new InvalidArgument(`invalid digest ${digest}`);
    return join(this.root, 'blobs', 'sha256', hexOf(digest));
  }

  async has(digest: string): Promise<boolean> {
    try { await stat(this.path(digest)); return true; } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  async size(digest: string): Promise<number> {
    return (await stat(this.path(digest))).size;
  }

  /** Reads a blob; NotFound if absent. */
  async read(digest: string): Promise<Buffer> {
    try { return await readFile(this.path(digest)); } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFound(`blob ${digest} not found`, { cause: err });
      throw err;
    }
  }

  /** Streams a blob in 1 MiB chunks (a layer tar is hundreds of MB: Node's 64 KiB reads cost more than the copy). */
  openRead(digest: string): Readable {
    return createReadStream(this.path(digest), { highWaterMark: READ_CHUNK });
  }

  /** Stores data (atomically) and returns its digest. */
  async put(data: Buffer): Promise<Digest> {
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}` as Digest;
    if (!(await this.has(digest))) await writeFileAtomic(this.path(digest), data, { fs: this.fs });
    return digest;
  }

  /**
   * A writer that hashes what it is given; commit checks expected against that digest
   * (InvalidArgument on a mismatch). With `{ digestedByCaller: true }` it does not hash: the
   * caller computes the digest of exactly the bytes it writes (a layer store hashing a
   * diffID as it unpacks) and commit requires it, so a large blob is hashed once, not twice.
   */
  writer(opts: { digestedByCaller?: boolean } = {}): BlobWriter {
    const tmp = join(this.root, 'ingest', randomBytes(8).toString('hex'));
    const hash = opts.digestedByCaller ? undefined : createHash('sha256');
    const out: WriteStream = createWriteStream(tmp, { mode: 0o644 });
    let size = 0;
    let failed: Error | undefined;
    out.on('error', (e) => { failed = e; });
    const finish = () => new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
    return {
      write: (chunk) => { hash?.update(chunk); size += chunk.length; out.write(chunk); },
      commit: async (expected) => {
        if (!hash && !expected) throw new InvalidArgument('a blob written without hashing needs its digest to commit');
        // a write that failed (ENOSPC) destroyed the stream: its error, not end()'s, is the cause
        await finish().catch((e: Error) => { throw failed ?? e; });
        if (failed) throw failed;
        const digest = hash ? `sha256:${hash.digest('hex')}` as Digest : expected!;
        if (expected && expected !== digest) {
          await rm(tmp, { force: true });
          throw new InvalidArgument(`blob digest mismatch: expected ${expected}, got ${digest}`);
        }
        // synced before and after the rename: a machine crash never leaves a blob cut short under its digest
        await nodeAtomicFs.sync(tmp);
        await rename(tmp, this.path(digest));
        await syncDir(dirname(this.path(digest)));
        return { digest, size };
      },
      abort: async () => { await finish().catch(() => undefined); await rm(tmp, { force: true }); },
    };
  }

  async delete(digest: string): Promise<void> {
    await rm(this.path(digest), { force: true });
  }

  async list(): Promise<Digest[]> {
    return (await readdir(join(this.root, 'blobs', 'sha256'))).filter((n) => /^[a-f0-9]{64}$/.test(n)).map((n) => `sha256:${n}` as Digest);
  }
}
