import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { isDigest, sha256, type Digest } from '../../lib/digest';
import { findBerthError, InvalidArgument, isInvalidArgument } from '../../errdefs';
import { isGzip } from '../../lib/tar';
import type { ImageStore } from './image-store';

/** What the loader needs of the image store: where layer tars and unpacked layers go. */
export type LoadStores = Pick<ImageStore, 'blobs' | 'layers'>;
type BlobWriter = ReturnType<LoadStores['blobs']['writer']>;
type StagedLayer = Awaited<ReturnType<LoadStores['layers']['unpack']>>;

/** A layer tar of the archive, unpacked (or known) while the archive streamed by. */
export interface LayerEntry {
  /** Digest of the uncompressed tar. */
  readonly diffId: Digest;
  /** Digest of the entry's bytes as stored in the archive (compressed or not). */
  readonly digest: Digest;
  /** Unpacked, in no chain yet; undefined once committed, or when the blob store had the tar already. */
  staged?: StagedLayer;
  /** The uncompressed tar on its way into the blob store; undefined once committed. */
  blob?: BlobWriter;
}

/** An archive entry as the loader keeps it. */
export type ArchiveEntry =
  /** Small or JSON-looking: kept in memory (configs, manifests, index). */
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'layer'; layer: LayerEntry }
  /** Looked like a layer but could not be unpacked (not a tar, unsafe entries): thrown if used. */
  | { kind: 'unusable'; error: unknown }
  /** A symlink or hardlink: the archive path it stands for. */
  | { kind: 'link'; target: string }
  | { kind: 'other' };

const BLOB_PATH = /^blobs\/([^/]+)\/([^/]+)$/;
const MAX_LINKS = 40;

/** A path an archive's manifest names, refused if absolute or climbing out (`..`). */
function archivePath(name: string, what: string): string {
  const norm = posix.normalize(name).replace(/\/+$/, '');
  if (name.startsWith('/') || norm === '..' || norm.startsWith('../') || norm === '.' || norm === '') {
    throw new InvalidArgument(`invalid ${what} path ${JSON.stringify(name)} in archive: must be relative and inside the archive`);
  }
  return norm;
}

/**
 * The entries of one `docker load` archive once it has been read: small files in memory,
 * layers unpacked and staged, links as aliases. Names resolve through links (absolute
 * targets from the archive's root, never above it). dispose() drops whatever no image took.
 */
export class LoadArchive {
  private readonly entries = new Map<string, ArchiveEntry>();

  constructor(private readonly stores: LoadStores) {}

  /** Records an entry under its (normalised) name; an earlier entry of that name is dropped. */
  async set(name: string, entry: ArchiveEntry): Promise<void> {
    const old = this.entries.get(name);
    this.entries.set(name, entry);
    if (old) await this.drop(old);
  }

  /** The entry a normalised archive path leads to, links followed; undefined if absent. */
  private resolve(path: string): { path: string; entry: ArchiveEntry } | undefined {
    let todo = path.split('/');
    let done: string[] = [];
    for (let links = 0; todo.length;) {
      const part = todo.shift()!;
      if (part === '..') { done.pop(); continue; }
      if (part === '.' || part === '') continue;
      done.push(part);
      const e = this.entries.get(done.join('/'));
      if (e?.kind !== 'link') continue;
      if (++links > MAX_LINKS) return undefined;
      todo = [...e.target.split('/'), ...todo];
      done = [];
    }
    const key = done.join('/');
    const entry = this.entries.get(key);
    return entry ? { path: key, entry } : undefined;
  }

  /** Whether the archive holds a file at name (a normalised path). */
  has(name: string): boolean {
    const kind = this.resolve(posix.normalize(name))?.entry.kind;
    return kind !== undefined && kind !== 'other';
  }

  private find(name: string, what: string): { path: string; entry: ArchiveEntry } {
    const found = this.resolve(archivePath(name, what));
    if (!found || found.entry.kind === 'other') throw new InvalidArgument(`invalid archive: open ${name}: no such file or directory`);
    return found;
  }

  /** The bytes of a small entry (a config, a manifest); InvalidArgument naming it otherwise. */
  bytes(name: string, what: string): Buffer {
    const { path, entry } = this.find(name, what);
    if (entry.kind !== 'bytes') throw new InvalidArgument(`invalid ${what} ${name}: not a JSON document`);
    this.checkDigest(path, sha256(entry.bytes));
    return entry.bytes;
  }

  /** A small entry parsed as JSON; InvalidArgument naming it when it is not JSON. */
  json<T>(name: string, what: string): T {
    const bytes = this.bytes(name, what);
    try {
      return JSON.parse(bytes.toString('utf8')) as T;
    } catch (err) {
      throw new InvalidArgument(`invalid ${what} ${name}: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * The layer tar at name: unpacked as it streamed, or now for an entry kept in memory.
   * InvalidArgument if absent or not a usable tar. Its `blobs/sha256/` name is checked by
   * checkDigest, once the caller has compared the diffID (the more telling mismatch).
   */
  async layer(name: string): Promise<LayerEntry> {
    const { path, entry } = this.find(name, 'layer');
    if (entry.kind === 'unusable') throw layerError(name, entry.error);
    if (entry.kind === 'layer') return entry.layer;
    if (entry.kind === 'bytes') return this.unpackKept(path, entry.bytes, name);
    throw new InvalidArgument(`invalid archive: ${name} is not a layer`);
  }

  /** InvalidArgument when name is a `blobs/sha256/<hex>` path whose content has another digest. */
  checkDigest(name: string, digest: Digest): void {
    const { path } = this.find(name, 'layer');
    if (BLOB_PATH.test(path) && blobDigestOf(path) !== digest) throw new InvalidArgument(`invalid archive: ${path} has digest ${digest}`);
  }

  private async unpackKept(path: string, bytes: Buffer, name: string): Promise<LayerEntry> {
    const blob = this.stores.blobs.writer({ digestedByCaller: true }); // unpack computes the diffID
    try {
      const staged = await this.stores.layers.unpack(Readable.from([bytes]), { tap: (c) => blob.write(c) });
      // an uncompressed tar is its own diffID: hashed once, by unpack
      const layer: LayerEntry = { diffId: staged.diffId, digest: isGzip(bytes) ? sha256(bytes) : staged.diffId, staged, blob };
      this.entries.set(path, { kind: 'layer', layer });
      return layer;
    } catch (err) {
      await blob.abort();
      this.entries.set(path, { kind: 'unusable', error: err });
      throw layerError(name, err);
    }
  }

  private async drop(entry: ArchiveEntry): Promise<void> {
    if (entry.kind !== 'layer') return;
    const { staged, blob } = entry.layer;
    entry.layer.staged = undefined;
    entry.layer.blob = undefined;
    if (staged) await this.stores.layers.discard(staged);
    if (blob) await blob.abort();
  }

  /** Removes every staged layer and unfinished blob no image took. */
  async dispose(): Promise<void> {
    for (const e of this.entries.values()) await this.drop(e);
  }
}

/** Why a layer could not be used, in Docker's words (`Error processing tar file`) when it is the archive's fault. */
function layerError(name: string, err: unknown): unknown {
  const bad = findBerthError(err);
  return bad && isInvalidArgument(bad) ? new InvalidArgument(`Error processing tar file ${name}: ${bad.message}`, { cause: err }) : err;
}

/** The digest a `blobs/sha256/<hex>` path names, if it does. */
export function blobDigestOf(path: string): Digest | undefined {
  const m = BLOB_PATH.exec(path);
  const d = m && `${m[1]}:${m[2]}`;
  return d && isDigest(d) ? d : undefined;
}
