import { chmod, lchown, link, lstat, mkdir, open, rm, symlink, utimes, lutimes } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { asMalformedTar, safeRelPath, UnsafeTarEntry } from '../../../lib/tar';
import { Forbidden, InvalidArgument, hasErrno } from '../../../errdefs';
import { cleanContainerPath, hostPathOf, mountOf, resolvePath, type ContainerView } from './container-view';
import type { OwnerMap } from './id-owner';

export interface ExtractIntoOptions {
  /** The container directory to extract into (a resolved container path). */
  dir: string;
  /** Refuse to replace a directory with a non-directory and the reverse. */
  noOverwriteDirNonDir?: boolean;
  /** Owner of every entry; default: the uid/gid in each header. */
  owner?: { uid: number; gid: number };
  /**
   * The host owner of an entry's (or owner's) container IDs, for a remapped container; directories
   * made for missing parents get its root's. Default: the IDs as they are.
   */
  toHost?: OwnerMap;
  /** The rootfs is read-only (writes outside read-write binds are refused). */
  readonlyRootfs?: boolean;
  signal?: AbortSignal;
}

const entryError = (name: string, why: string) => new InvalidArgument(`invalid tar entry ${JSON.stringify(name)}: ${why}`);

function checkWritable(view: ContainerView, cpath: string, readonlyRootfs: boolean | undefined): void {
  const m = mountOf(view, cpath);
  if (m?.readonly) throw new Forbidden('mounted volume is marked read-only');
  if (!m && readonlyRootfs) throw new Forbidden('container rootfs is marked read-only');
}

/**
 * The host path of container directory cpath, created (as the container would see it)
 * when missing. Symlinks on the way are followed inside the container only.
 */
async function ensureDir(view: ContainerView, cpath: string, entryName: string, root?: { uid: number; gid: number }): Promise<string> {
  const r = await resolvePath(view, cpath, { followFinal: true });
  try {
    const st = await lstat(r.hostPath);
    if (!st.isDirectory()) throw entryError(entryName, `${r.path} is not a directory`);
    return r.hostPath;
  } catch (err) {
    if (!hasErrno(err, 'ENOENT')) throw err;
  }
  if (r.path !== '/') await ensureDir(view, posix.dirname(r.path), entryName, root);
  const made = await mkdir(r.hostPath).then(() => true, (err) => { if (!hasErrno(err, 'EEXIST')) throw err; return false; });
  if (made && root) await lchown(r.hostPath, root.uid, root.gid);
  return r.hostPath;
}

/**
 * Creates path exclusively (never writing through a symlink that stands there): what another
 * copy into the same container put there in the meantime is replaced.
 */
async function createExclusive(path: string, mode: number) {
  for (let tries = 0; ; tries++) {
    try {
      return await open(path, 'wx', mode & 0o7777);
    } catch (err) {
      if (!hasErrno(err, 'EEXIST') || tries >= 3) throw err;
      await rm(path, { recursive: true, force: true });
    }
  }
}

async function writeFile(path: string, data: AsyncIterable<unknown>, mode: number): Promise<void> {
  const fh = await createExclusive(path, mode);
  try {
    for await (const chunk of data) {
      const buf = chunk as Buffer;
      let off = 0;
      while (off < buf.length) off += (await fh.write(buf, off)).bytesWritten;
    }
  } finally {
    await fh.close();
  }
}

async function drain(s: AsyncIterable<unknown>): Promise<void> { for await (const _ of s) { /* discard */ } }

/**
 * Extracts a tar into a directory of a container (`PUT /containers/{id}/archive`). Every
 * entry is placed as the container would place it: names are cleaned and kept under dir
 * (`..` refused, absolute names taken relative to dir), parents resolved with the secure
 * join (a symlink in the container, or one an earlier entry created, is followed inside
 * the container, never to the host), and the final component is created, never written
 * through. Device nodes are skipped.
 */
export async function extractInto(view: ContainerView, input: Readable, opts: ExtractIntoOptions): Promise<void> {
  const extract = tar.extract();
  const dirTimes: Array<[string, Date]> = [];
  const root = opts.toHost?.(0, 0);
  const consume = (async () => {
    for await (const entry of extract) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      const h = entry.header;
      let rel: string;
      try { rel = safeRelPath(h.name); } catch (err) {
        if (err instanceof UnsafeTarEntry) throw new InvalidArgument(err.message, { cause: err });
        throw err;
      }
      // devices, fifos and what else tar holds are skipped before anything at their path is touched
      if (rel === '' || !['directory', 'file', 'contiguous-file', 'symlink', 'link'].includes(h.type ?? 'file')) { await drain(entry); continue; }
      const cpath = cleanContainerPath(`${opts.dir}/${rel}`);
      checkWritable(view, cpath, opts.readonlyRootfs);
      const parentHost = await ensureDir(view, posix.dirname(cpath), h.name, root);
      const isMountPoint = mountOf(view, cpath)?.destination === cpath;
      const path = isMountPoint ? hostPathOf(view, cpath) : posix.join(parentHost, posix.basename(cpath));
      const existing = await lstat(path).catch((err) => { if (hasErrno(err, 'ENOENT')) return undefined; throw err; });
      const isDir = h.type === 'directory';
      if (existing && opts.noOverwriteDirNonDir) {
        if (existing.isDirectory() && !isDir) throw new InvalidArgument(`cannot overwrite directory "${cpath}" with non-directory "${h.name}"`);
        if (!existing.isDirectory() && isDir) throw new InvalidArgument(`cannot overwrite non-directory "${cpath}" with directory "${h.name}"`);
      }
      if (isMountPoint && !isDir) throw new InvalidArgument(`cannot overwrite mount point "${cpath}" with non-directory "${h.name}"`);
      if (existing && !(existing.isDirectory() && isDir)) await rm(path, { recursive: true, force: true });
      const mode = h.mode ?? 0o644;
      const mtime = h.mtime ?? new Date();
      switch (h.type) {
        case 'directory':
          if (!existing?.isDirectory()) await mkdir(path, { mode: 0o755 }).catch((err) => { if (!hasErrno(err, 'EEXIST')) throw err; });
          if (!isMountPoint) dirTimes.push([path, mtime]);
          break;
        case 'file':
        case 'contiguous-file':
          await writeFile(path, entry, mode);
          break;
        case 'symlink':
          if (Buffer.byteLength(h.linkname ?? '') >= 4096) throw entryError(h.name, 'symlink target: file name too long');
          // stored as given: the container resolves it, and so do later entries (secure join)
          await symlink(h.linkname ?? '', path).catch(async (err) => {
            if (!hasErrno(err, 'EEXIST')) throw err;
            await rm(path, { recursive: true, force: true });
            await symlink(h.linkname ?? '', path);
          });
          break;
        case 'link': {
          let targetRel: string;
          try { targetRel = safeRelPath(h.linkname ?? ''); } catch (err) {
            throw entryError(h.name, `hardlink target ${JSON.stringify(h.linkname)} is outside of the layer`);
          }
          const target = await resolvePath(view, cleanContainerPath(`${opts.dir}/${targetRel}`));
          try { await link(target.hostPath, path); } catch (err) {
            throw entryError(h.name, `hardlink target ${JSON.stringify(h.linkname)} cannot be linked`);
          }
          await drain(entry);
          continue;
        }
        default:
          await drain(entry);
          continue;
      }
      await drain(entry);
      if (isMountPoint) continue;
      const uid = opts.owner?.uid ?? h.uid ?? 0;
      const gid = opts.owner?.gid ?? h.gid ?? 0;
      const onHost = opts.toHost ? opts.toHost(uid, gid) : { uid, gid };
      await lchown(path, onHost.uid, onHost.gid);
      if (h.type === 'symlink') { await lutimes(path, mtime, mtime); continue; }
      await chmod(path, mode & 0o7777);
      if (!isDir) await utimes(path, mtime, mtime);
    }
  })();
  try {
    await Promise.all([pipeline(input, extract), consume]);
  } catch (err) {
    extract.destroy();
    input.destroy();
    const bad = asMalformedTar(err);
    throw bad ? new InvalidArgument(bad.message, { cause: err }) : err;
  }
  for (const [p, t] of dirTimes.reverse()) await utimes(p, t, t).catch(() => {});
}
