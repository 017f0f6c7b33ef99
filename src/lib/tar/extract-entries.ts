import {
  chmodSync, closeSync, fchmodSync, fchownSync, futimesSync, lchownSync, linkSync, lutimesSync, mkdirSync, openSync,
  symlinkSync, utimesSync, writeSync,
} from 'node:fs';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { asMalformedTar, UnsafeTarEntry } from './tar-errors';
import { ExtractTree } from './extract-tree';
import { goTarExtract } from './go-tar-extract';

/** Privileged operations the extractor cannot do with `fs` (they live in `sys/`). */
export interface ExtractHooks {
  /** Creates a device node or fifo; without it such entries are skipped. */
  mknod?(path: string, kind: 'c' | 'b' | 'p', major: number, minor: number, mode: number): Promise<void>;
  /** Marks dir opaque (overlay `trusted.overlay.opaque=y`); without it `.wh..wh..opq` is skipped. */
  setOpaque?(dir: string): Promise<void>;
}

export interface ExtractOptions extends ExtractHooks {
  /** chown entries to their uid/gid (default: when running as root). */
  chown?: boolean;
  /** Convert OCI whiteouts to overlay form (default true). */
  whiteouts?: boolean;
  /** Also hash every byte of input (ExtractResult.digest): a layer's diffID as it unpacks. */
  digest?: boolean;
}

export interface ExtractResult {
  /** Bytes the layer takes as Docker counts them: regular file sizes plus symlink target lengths. */
  size: number;
  /** `sha256:<hex>` of every byte of input, when asked for. */
  digest?: string;
}

/** What extractEntries needs beyond ExtractOptions, settled by the caller's thread. */
export interface EntryOptions extends ExtractHooks {
  chown: boolean;
  whiteouts: boolean;
  /** The process's umask: a file created with a mode it leaves whole needs no chmod. */
  umask: number;
}

const WH_PREFIX = '.wh.';
const WH_OPAQUE = '.wh..wh..opq';

/** Linux's PATH_MAX and NAME_MAX: a longer name can never be created (Go's reader stops at 1 MiB). */
const PATH_MAX = 4096;
const NAME_MAX = 255;

/** The entry's path relative to the root, or an error if it would land outside or cannot exist. */
export function safeRelPath(name: string): string {
  if (name.length > PATH_MAX || Buffer.byteLength(name) > PATH_MAX || name.split('/').some((p) => Buffer.byteLength(p) > NAME_MAX)) {
    throw new UnsafeTarEntry(`invalid tar entry ${JSON.stringify(name.slice(0, 64) + '...')}: file name too long`);
  }
  const rel = posix.normalize('/' + name).slice(1).replace(/\/+$/, '');
  // normalize('/'+x) never climbs above '/', so a breakout shows as a mismatch with the plain normalisation
  const plain = posix.normalize(name.replace(/^\/+/, ''));
  if (plain === '..' || plain.startsWith('../')) {
    throw new UnsafeTarEntry(`invalid tar entry ${JSON.stringify(name)}: path is outside of the layer`);
  }
  return rel === '.' ? '' : rel;
}

async function drain(s: AsyncIterable<unknown>): Promise<void> { for await (const _ of s) { /* discard */ } }

/** Writes data to a new file at path (which must not exist) with the entry's owner, mode and mtime. */
async function writeFile(path: string, data: AsyncIterable<unknown>, h: tar.Header, mode: number, opts: EntryOptions): Promise<number> {
  const fd = openSync(path, 'wx', mode);
  let size = 0;
  try {
    for await (const chunk of data) {
      const buf = chunk as Buffer;
      for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off);
      size += buf.length;
    }
    if (opts.chown) fchownSync(fd, h.uid ?? 0, h.gid ?? 0);
    // open applied mode under umask; chown clears setuid/setgid bits
    if (mode & (opts.umask | 0o7000)) fchmodSync(fd, mode);
    const mtime = h.mtime ?? new Date(0);
    futimesSync(fd, mtime, mtime);
  } finally {
    closeSync(fd);
  }
  return size;
}

/** tar-stream's error for an entry read after the archive was torn down (by its own failure, say). */
const torn = (err: unknown) => ['STREAM_DESTROYED', 'PREMATURE_CLOSE'].includes((err as { code?: string } | undefined)?.code ?? '');

/**
 * Why an extraction failed: a malformed archive first (reading it cut the entries short),
 * then the entries' own error (an unsafe entry, a failed write) unless it only says the
 * stream was torn down, then the reading side's.
 */
function firstCause(err: unknown, own: PromiseSettledResult<void>, read: PromiseSettledResult<void>): unknown {
  const ownErr = own.status === 'rejected' ? own.reason : undefined;
  const readErr = read.status === 'rejected' ? read.reason : undefined;
  const malformed = asMalformedTar(readErr) ?? asMalformedTar(ownErr);
  if (malformed) return malformed;
  if (ownErr !== undefined && !torn(ownErr)) return ownErr;
  return readErr ?? ownErr ?? err;
}

/**
 * extractTar's work (see there for the contract), with synchronous filesystem calls: a layer
 * is thousands of small operations, each far cheaper than a threadpool round trip. Meant for
 * a worker thread (extract-host) or a short-lived process; hooks stay asynchronous. Once it
 * has settled nothing is writing under root.
 */
export async function extractEntries(input: Readable, root: string, opts: EntryOptions): Promise<ExtractResult> {
  const extract = goTarExtract();
  const tree = new ExtractTree(root);
  const dirTimes: Array<[string, Date]> = [];
  let size = 0;

  const consume = (async () => {
    for await (const entry of extract) {
      const h = entry.header;
      const rel = safeRelPath(h.name);
      if (rel === '') { await drain(entry); continue; }
      const path = join(root, rel);
      const base = posix.basename(rel);
      tree.ensureParents(rel, h.name);
      const mode = (h.mode ?? 0o644) & 0o7777;
      const mtime = h.mtime ?? new Date(0);

      if (opts.whiteouts && base.startsWith(WH_PREFIX)) {
        await drain(entry);
        const dir = posix.dirname(rel);
        if (base === WH_OPAQUE) {
          if (opts.setOpaque) await opts.setOpaque(join(root, dir));
        } else if (!base.startsWith(WH_PREFIX + WH_PREFIX)) {
          const target = posix.join(dir, base.slice(WH_PREFIX.length));
          tree.removeExisting(target, false);
          if (opts.mknod) {
            await opts.mknod(join(root, target), 'c', 0, 0, 0);
            tree.markCreated(target);
          }
        }
        continue;
      }

      switch (h.type) {
        case 'directory':
          tree.removeExisting(rel, true);
          if (!tree.isDir(rel)) {
            mkdirSync(path);
            tree.markDir(rel);
          }
          if (opts.chown) lchownSync(path, h.uid ?? 0, h.gid ?? 0);
          chmodSync(path, mode); // after chown, which clears setuid bits
          dirTimes.push([path, mtime]);
          break;
        case 'file':
        case 'contiguous-file':
          tree.removeExisting(rel, false);
          tree.markCreated(rel);
          size += await writeFile(path, entry, h, mode, opts);
          break;
        case 'symlink':
          tree.removeExisting(rel, false);
          if (Buffer.byteLength(h.linkname ?? '') >= PATH_MAX) throw new UnsafeTarEntry(`invalid tar entry ${JSON.stringify(h.name)}: symlink target: file name too long`);
          symlinkSync(h.linkname ?? '', path);
          tree.markCreated(rel);
          size += Buffer.byteLength(h.linkname ?? '');
          if (opts.chown) lchownSync(path, h.uid ?? 0, h.gid ?? 0);
          lutimesSync(path, mtime, mtime);
          break;
        case 'link': {
          let targetRel: string;
          try {
            targetRel = safeRelPath(h.linkname ?? '');
          } catch (err) {
            throw new UnsafeTarEntry(`invalid tar entry ${JSON.stringify(h.name)}: hardlink target ${JSON.stringify(h.linkname)} is outside of the layer`, { cause: err });
          }
          const notInLayer = `invalid tar entry ${JSON.stringify(h.name)}: hardlink target ${JSON.stringify(h.linkname)} not in the layer`;
          if (targetRel === '') throw new UnsafeTarEntry(`invalid tar entry ${JSON.stringify(h.name)}: hardlink to the layer root`);
          const bad = tree.badParent(targetRel);
          if (bad?.missing) throw new UnsafeTarEntry(notInLayer);
          if (bad) throw new UnsafeTarEntry(`invalid tar entry ${JSON.stringify(h.name)}: hardlink target ${JSON.stringify(h.linkname)} goes through ${JSON.stringify(bad.parent)}, which is not a directory (symlinked parents are refused)`);
          tree.removeExisting(rel, false);
          try {
            linkSync(join(root, targetRel), path);
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            if (code === 'ENOENT') throw new UnsafeTarEntry(notInLayer, { cause: err });
            if (code === 'EPERM') throw new UnsafeTarEntry(`invalid tar entry ${JSON.stringify(h.name)}: hardlink target ${JSON.stringify(h.linkname)} is a directory`, { cause: err });
            throw err;
          }
          tree.markCreated(rel); // shares the target's inode and metadata
          break;
        }
        case 'character-device':
        case 'block-device':
        case 'fifo':
          if (!opts.mknod) break;
          tree.removeExisting(rel, false);
          await opts.mknod(path, h.type === 'fifo' ? 'p' : h.type === 'block-device' ? 'b' : 'c', h.devmajor ?? 0, h.devminor ?? 0, mode);
          tree.markCreated(rel);
          if (opts.chown) lchownSync(path, h.uid ?? 0, h.gid ?? 0);
          chmodSync(path, mode);
          utimesSync(path, mtime, mtime);
          break;
        default:
          // pax/gnu metadata entries are consumed by tar-stream; anything else is ignored
          break;
      }
      await drain(entry);
    }
  })();

  const read = pipeline(input, extract);
  try {
    await Promise.all([read, consume]);
  } catch (err) {
    extract.destroy();
    input.destroy();
    throw firstCause(err, ...(await Promise.allSettled([consume, read])));
  }
  // directory mtimes last: creating entries inside a dir changes its mtime
  for (const [p, t] of dirTimes.reverse()) utimesSync(p, t, t);
  return { size };
}
