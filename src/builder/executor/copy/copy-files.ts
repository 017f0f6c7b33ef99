/**
 * Puts COPY/ADD sources into a layer's root as Docker's performCopyForInfo does: a directory's
 * contents go into the destination, a file goes to the destination or, when that ends in `/`
 * or is a directory, into it under its own name; ADD unpacks local archives. Nothing under
 * root is written through a symlink: the destination is resolved within root and entries
 * met on the way that are not directories are replaced.
 */
import { copyFile, lchown, lstat, lutimes, mkdir, readdir, readlink, rm, symlink, chmod, chown, utimes } from 'node:fs/promises';
import { createReadStream, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { extractTar, maybeGunzip, MalformedTar, UnsafeTarEntry } from '../../../lib/tar';
import { InvalidArgument } from '../../../errdefs';
import type { PatternMatcher } from '../../../lib/dockerignore';
import { resolveInScope } from '../scoped-path';
import type { CopySource } from './sources';

export interface Identity { uid: number; gid: number }

export interface CopyOptions {
  /** Owner of everything copied; undefined keeps the source's owner (COPY --from without --chown). */
  identity?: Identity;
  /** `--chmod`: mode of everything copied. */
  mode?: number;
  /** `--exclude`: paths (relative to a copied directory, or a file's name) left out. */
  exclude?: PatternMatcher;
}

/** Creates the missing directories of dir (a resolved host path under root), owned by identity. */
async function mkdirs(root: string, dir: string, identity: Identity | undefined): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; d.length > root.length; d = dirname(d)) {
    try {
      if ((await lstat(d)).isDirectory()) break;
      throw new InvalidArgument(`mkdir ${d.slice(root.length)}: not a directory`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    missing.unshift(d);
  }
  for (const d of missing) {
    await mkdir(d, { mode: 0o755 });
    if (identity) await chown(d, identity.uid, identity.gid);
  }
}

async function isDir(path: string): Promise<boolean> {
  try { return (await lstat(path)).isDirectory(); } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Copies one entry (not following symlinks) to dst, replacing what is there unless both are directories. */
async function copyEntry(src: string, st: Stats, dst: string, opts: CopyOptions, rel: string, times?: { mode?: number; mtime?: Date }): Promise<void> {
  const uid = opts.identity?.uid ?? st.uid;
  const gid = opts.identity?.gid ?? st.gid;
  if (st.isDirectory()) {
    if (!(await isDir(dst))) {
      await rm(dst, { force: true, recursive: true });
      await mkdir(dst);
    }
    await copyChildren(src, dst, opts, rel);
    await chown(dst, uid, gid);
    await chmod(dst, opts.mode ?? st.mode & 0o7777);
    await utimes(dst, st.atime, st.mtime);
    return;
  }
  await rm(dst, { force: true, recursive: true });
  if (st.isSymbolicLink()) {
    await symlink(await readlink(src), dst);
    await lchown(dst, uid, gid);
    await lutimes(dst, st.atime, st.mtime);
    return;
  }
  if (!st.isFile()) throw new InvalidArgument(`${src}: only regular files, directories and symlinks can be copied`);
  await copyFile(src, dst);
  await chown(dst, uid, gid);
  await chmod(dst, opts.mode ?? times?.mode ?? st.mode & 0o7777);
  const mtime = times?.mtime ?? st.mtime;
  await utimes(dst, mtime, mtime);
}

async function copyChildren(src: string, dst: string, opts: CopyOptions, rel: string): Promise<void> {
  for (const name of await readdir(src)) {
    const r = rel ? `${rel}/${name}` : name;
    if (opts.exclude?.matches(r)) continue;
    const s = join(src, name);
    await copyEntry(s, await lstat(s), join(dst, name), opts, r);
  }
}

/** Whether path is a tar (plain or gzip) that ADD unpacks. */
async function isArchive(path: string): Promise<boolean> {
  const head: Buffer[] = [];
  for await (const c of createReadStream(path, { start: 0, end: 1 })) head.push(c as Buffer);
  const magic = Buffer.concat(head);
  if (magic[0] === 0x1f && magic[1] === 0x8b) return true;
  const block: Buffer[] = [];
  for await (const c of createReadStream(path, { start: 257, end: 262 })) block.push(c as Buffer);
  return Buffer.concat(block).toString('latin1').startsWith('ustar');
}

async function unpackInto(path: string, dest: string, opts: CopyOptions): Promise<void> {
  try {
    await extractTar(await maybeGunzip(createReadStream(path)), dest, { whiteouts: false, chown: true });
  } catch (err) {
    if (err instanceof UnsafeTarEntry || err instanceof MalformedTar) throw new InvalidArgument(`failed to copy files: ${err.message}`, { cause: err });
    throw err;
  }
  if (opts.identity) await chown(dest, opts.identity.uid, opts.identity.gid);
}

/**
 * Copies one source to dest (an absolute path in the image, `/`-terminated when it names a
 * directory) under root.
 */
export async function copySource(root: string, source: CopySource, dest: string, opts: CopyOptions): Promise<void> {
  const target = await resolveInScope(root, dest);
  const from = await source.hostPath();
  if (source.isDir) {
    const existed = await isDir(target);
    await mkdirs(root, target, existed ? undefined : opts.identity);
    const st = await lstat(from);
    await copyChildren(from, target, opts, '');
    if (!existed && opts.mode !== undefined) await chmod(target, opts.mode);
    if (!existed) await utimes(target, st.atime, st.mtime);
    return;
  }
  if (source.unpack && (await isArchive(from))) {
    await mkdirs(root, target, opts.identity);
    await unpackInto(from, target, opts);
    return;
  }
  const into = dest.endsWith('/') || (await isDir(target));
  const file = into ? join(target, basename(source.name)) : target;
  await mkdirs(root, dirname(file), opts.identity);
  if (opts.exclude?.matches(source.name)) return;
  await copyEntry(from, await lstat(from), file, opts, source.name, { mode: source.mode, mtime: source.mtime });
}
