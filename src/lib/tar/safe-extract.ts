import { Readable } from 'node:stream';
import { lstat, mkdir, open, rm, symlink, link, chmod, lchown, utimes, lutimes } from 'node:fs/promises';
import { posix, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { asMalformedTar, UnsafeTarEntry } from './tar-errors';

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
}

export interface ExtractResult {
  /** Bytes the layer takes as Docker counts them: regular file sizes plus symlink target lengths. */
  size: number;
}

const WH_PREFIX = '.wh.';
const WH_OPAQUE = '.wh..wh..opq';

/** The entry's path relative to the root, or an error if it would land outside. */
export function safeRelPath(name: string): string {
  const rel = posix.normalize('/' + name).slice(1).replace(/\/+$/, '');
  // normalize('/'+x) never climbs above '/', so a breakout shows as a mismatch with the plain normalisation
  const plain = posix.normalize(name.replace(/^\/+/, ''));
  if (plain === '..' || plain.startsWith('../')) {
    throw new UnsafeTarEntry(`invalid tar entry ${JSON.stringify(name)}: path is outside of the layer`);
  }
  return rel === '.' ? '' : rel;
}

/**
 * Creates rel's parent dirs under root, refusing to go through anything that is not a real
 * directory (a symlink planted by an earlier entry could point outside root).
 */
async function ensureParents(root: string, rel: string, entryName: string): Promise<void> {
  const parts = rel.split('/').slice(0, -1);
  let cur = root;
  for (const p of parts) {
    cur = join(cur, p);
    let st;
    try { st = await lstat(cur); } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(cur, { mode: 0o755 });
      continue;
    }
    if (!st.isDirectory()) {
      throw new UnsafeTarEntry(`invalid tar entry ${JSON.stringify(entryName)}: parent ${JSON.stringify(rel.slice(0, cur.length - root.length - 1))} is not a directory (symlinked parents are refused)`);
    }
  }
}

/** The first of rel's parents under root that is absent or not a real directory, if any. */
async function badParent(root: string, rel: string): Promise<{ parent: string; missing: boolean } | undefined> {
  const parts = rel.split('/').slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const parent = parts.slice(0, i).join('/');
    try {
      if (!(await lstat(join(root, parent))).isDirectory()) return { parent, missing: false };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { parent, missing: true };
      throw err;
    }
  }
  return undefined;
}

async function removeExisting(path: string, keepDir: boolean): Promise<void> {
  let st;
  try { st = await lstat(path); } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (keepDir && st.isDirectory()) return;
  await rm(path, { recursive: true, force: true });
}

async function writeFile(path: string, data: AsyncIterable<unknown>, mode: number): Promise<number> {
  const fh = await open(path, 'wx', mode & 0o7777);
  let size = 0;
  try {
    for await (const chunk of data) {
      const buf = chunk as Buffer;
      size += buf.length;
      let off = 0;
      while (off < buf.length) off += (await fh.write(buf, off)).bytesWritten;
    }
  } finally {
    await fh.close();
  }
  return size;
}

async function drain(s: AsyncIterable<unknown>): Promise<void> { for await (const _ of s) { /* discard */ } }

/**
 * Extracts an (uncompressed) tar stream into root, which must exist. Untrusted input: every
 * entry must stay inside root (`..` that climbs out, symlinked parents, and hardlinks whose
 * target is not an earlier entry of the layer are refused with UnsafeTarEntry; absolute
 * names and hardlink targets are taken relative to root, as Docker does; symlinks may point
 * anywhere, they are never followed here). A stream that is not a whole tar is refused with
 * MalformedTar. Modes, owners, mtimes, symlinks and hardlinks are preserved; OCI whiteouts
 * become overlay whiteouts. On failure input is destroyed; what was written stays for the
 * caller to remove.
 */
export async function extractTar(input: Readable, root: string, opts: ExtractOptions = {}): Promise<ExtractResult> {
  const chown = opts.chown ?? (process.getuid?.() === 0);
  const whiteouts = opts.whiteouts ?? true;
  const extract = tar.extract();
  const dirTimes: Array<[string, Date]> = [];
  let size = 0;

  const consume = (async () => {
    for await (const entry of extract) {
      const h = entry.header;
      const rel = safeRelPath(h.name);
      if (rel === '') { await drain(entry); continue; }
      const path = join(root, rel);
      const base = posix.basename(rel);
      await ensureParents(root, rel, h.name);
      const mode = h.mode ?? 0o644;
      const mtime = h.mtime ?? new Date(0);

      if (whiteouts && base.startsWith(WH_PREFIX)) {
        await drain(entry);
        const dir = posix.dirname(rel);
        if (base === WH_OPAQUE) {
          if (opts.setOpaque) await opts.setOpaque(join(root, dir));
        } else if (!base.startsWith(WH_PREFIX + WH_PREFIX)) {
          const target = join(root, dir, base.slice(WH_PREFIX.length));
          await removeExisting(target, false);
          if (opts.mknod) await opts.mknod(target, 'c', 0, 0, 0);
        }
        continue;
      }

      switch (h.type) {
        case 'directory':
          await removeExisting(path, true);
          await mkdir(path, { recursive: true });
          dirTimes.push([path, mtime]);
          break;
        case 'file':
        case 'contiguous-file':
          await removeExisting(path, false);
          size += await writeFile(path, entry, mode);
          break;
        case 'symlink':
          await removeExisting(path, false);
          await symlink(h.linkname ?? '', path);
          size += Buffer.byteLength(h.linkname ?? '');
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
          const bad = await badParent(root, targetRel);
          if (bad?.missing) throw new UnsafeTarEntry(notInLayer);
          if (bad) throw new UnsafeTarEntry(`invalid tar entry ${JSON.stringify(h.name)}: hardlink target ${JSON.stringify(h.linkname)} goes through ${JSON.stringify(bad.parent)}, which is not a directory (symlinked parents are refused)`);
          await removeExisting(path, false);
          try {
            await link(join(root, targetRel), path);
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            if (code === 'ENOENT') throw new UnsafeTarEntry(notInLayer, { cause: err });
            if (code === 'EPERM') throw new UnsafeTarEntry(`invalid tar entry ${JSON.stringify(h.name)}: hardlink target ${JSON.stringify(h.linkname)} is a directory`, { cause: err });
            throw err;
          }
          break;
        }
        case 'character-device':
        case 'block-device':
        case 'fifo':
          await removeExisting(path, false);
          if (opts.mknod) {
            const kind = h.type === 'fifo' ? 'p' : h.type === 'block-device' ? 'b' : 'c';
            await opts.mknod(path, kind, h.devmajor ?? 0, h.devminor ?? 0, mode & 0o7777);
          } else {
            await drain(entry);
            continue;
          }
          break;
        default:
          // pax/gnu metadata entries are consumed by tar-stream; anything else is ignored
          await drain(entry);
          continue;
      }
      await drain(entry);
      if (h.type === 'link') continue; // shares the target's inode and metadata
      const isLink = h.type === 'symlink';
      if (chown) await lchown(path, h.uid ?? 0, h.gid ?? 0);
      if (!isLink) await chmod(path, mode & 0o7777); // after chown, which clears setuid bits
      if (isLink) await lutimes(path, mtime, mtime);
      else if (h.type !== 'directory') await utimes(path, mtime, mtime);
    }
  })();

  try {
    await Promise.all([pipeline(input, extract), consume]);
  } catch (err) {
    extract.destroy();
    input.destroy();
    throw asMalformedTar(err) ?? err;
  }
  // directory mtimes last: creating entries inside a dir changes its mtime
  for (const [p, t] of dirTimes.reverse()) await utimes(p, t, t);
  return { size };
}
