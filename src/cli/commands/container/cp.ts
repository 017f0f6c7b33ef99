/**
 * `berth cp`: copy files between a container and the host, with docker's semantics for
 * the destination (an existing directory receives the source; `SRC/.` copies a
 * directory's contents; a missing destination takes the source's contents under its name).
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { posix, resolve as resolvePath } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ArchiveApi } from '../../../client';
import { extractTar } from '../../../lib/tar';

interface CopyEnd { container?: string; path: string }
interface CopyInfo { path: string; exists: boolean; isDir: boolean; rebaseName?: string }
interface CpFlags { followLink?: boolean; archive?: boolean; quiet?: boolean }

const GO_DIR = 2 ** 31;
const isDirMode = (m: number) => m >= GO_DIR;
const bit = (m: number, b: number) => Math.floor(m / 2 ** b) % 2 === 1;
const isSymlinkMode = (m: number) => bit(m, 27);
/** Go's ModeDevice and ModeIrregular: what docker refuses as a copy destination. */
const isDeviceOrIrregular = (m: number) => bit(m, 26) || bit(m, 19);

/** `container:path` or a local path (absolute or starting with `.` is always local). */
export function splitCpArg(arg: string): CopyEnd {
  if (arg.startsWith('/') || arg.startsWith('.')) return { path: arg };
  const i = arg.indexOf(':');
  if (i <= 0) return { path: arg };
  return { container: arg.slice(0, i), path: arg.slice(i + 1) };
}

const endsWithDot = (p: string) => p === '.' || p.endsWith('/.');
const assertsDirectory = (p: string) => p.endsWith('/') || endsWithDot(p);

/** Docker's SplitPathDirEntry: `/a/b/` -> [`/a`, `b`], `/a/b/.` -> [`/a/b`, `.`]. */
export function splitDirEntry(p: string): [string, string] {
  let clean = posix.normalize(p);
  if (clean.length > 1) clean = clean.replace(/\/+$/, '');
  if (endsWithDot(p)) clean = clean === '.' ? './.' : clean + '/.';
  return [posix.dirname(clean), posix.basename(clean)];
}

/** An absolute local path keeping a trailing `/` or `/.` (they carry meaning). */
function localPath(p: string): string {
  if (p === '-') return p;
  const abs = resolvePath(p);
  if (endsWithDot(p)) return abs === '/' ? '/.' : abs + '/.';
  return p.endsWith('/') && abs !== '/' ? abs + '/' : abs;
}

/** Renames entries `oldBase[/...]` to `newBase[/...]` as the tar streams through. */
export function rebaseTar(input: Readable, oldBase: string, newBase: string): Readable {
  if (oldBase === newBase) return input;
  const ex = tar.extract();
  const pack = tar.pack();
  const rename = (name: string) => {
    const slash = name.endsWith('/') ? '/' : '';
    const n = name.replace(/\/+$/, '');
    if (n === oldBase) return newBase + slash;
    if (n.startsWith(oldBase + '/')) return newBase + n.slice(oldBase.length) + slash;
    return name;
  };
  ex.on('entry', (h, stream, next) => {
    const header = { ...h, name: rename(h.name) };
    if (h.type === 'link' && h.linkname) header.linkname = rename(h.linkname);
    stream.pipe(pack.entry(header, next));
  });
  ex.on('finish', () => pack.finalize());
  ex.on('error', (e) => pack.destroy(e));
  input.on('error', (e) => ex.destroy(e));
  input.pipe(ex);
  return Readable.from(pack, { objectMode: false });
}

/** A tar of a local file or directory, its entries named `name[/...]`; never follows symlinks inside. */
function tarLocal(path: string, name: string): Readable {
  const pack = tar.pack();
  const entry = (h: Partial<tar.Header> & { name: string }) => new Promise<void>((res, rej) => pack.entry(h, (e) => (e ? rej(e) : res())));
  const add = async (p: string, n: string): Promise<void> => {
    const st = await lstat(p);
    const base = { name: n, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
    if (st.isDirectory()) {
      await entry({ ...base, name: n + '/', type: 'directory' });
      for (const c of (await readdir(p)).sort()) await add(`${p}/${c}`, `${n}/${c}`);
    } else if (st.isSymbolicLink()) {
      await entry({ ...base, type: 'symlink', linkname: await readlink(p) });
    } else if (st.isFile()) {
      await new Promise<void>((res, rej) => createReadStream(p).on('error', rej).pipe(pack.entry({ ...base, type: 'file', size: st.size }, (e) => (e ? rej(e) : res()))));
    }
  };
  add(path, name).then(() => pack.finalize(), (e) => pack.destroy(e as Error));
  return Readable.from(pack, { objectMode: false });
}

/** Docker's PrepareArchiveCopy: the directory to extract into and the archive to extract there. */
export function prepareArchiveCopy(content: Readable, src: CopyInfo, dst: CopyInfo): { dir: string; content: Readable } {
  const [dstDir, dstBase] = splitDirEntry(dst.path);
  const srcBase = src.rebaseName || splitDirEntry(src.path)[1];
  if (dst.exists && dst.isDir) return { dir: dst.path, content };
  if (dst.exists && src.isDir) throw new Error('cannot copy directory');
  if (!dst.exists && !src.isDir && assertsDirectory(dst.path)) throw new Error('no such directory');
  return { dir: dstDir, content: rebaseTar(content, srcBase, dstBase) };
}

async function copyFromContainer(ctx: CliContext, api: ArchiveApi, src: CopyEnd & { container: string }, dstArg: string, f: CpFlags): Promise<void> {
  let srcPath = src.path;
  let rebaseName: string | undefined;
  if (f.followLink) {
    const st = await api.statPath(src.container, srcPath).catch(() => undefined);
    if (st && isSymlinkMode(st.mode)) {
      const target = st.linkTarget.startsWith('/') ? st.linkTarget : posix.join(splitDirEntry(srcPath)[0], st.linkTarget);
      rebaseName = splitDirEntry(srcPath)[1];
      srcPath = assertsDirectory(srcPath) ? target + '/' : target;
    }
  }
  const { stat: st, tar: content } = await api.copyFrom(src.container, srcPath);
  if (dstArg === '-') { await pipeline(content, ctx.io.stdout, { end: false }); return; }
  const dstPath = localPath(dstArg);
  const dst: CopyInfo = { path: dstPath, exists: false, isDir: false };
  try {
    const s = await stat(dstPath.replace(/\/\.?$/, '') || '/');
    Object.assign(dst, { exists: true, isDir: s.isDirectory() });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const parent = splitDirEntry(dstPath)[0];
    const ps = await stat(parent).catch(() => { throw new Error(`invalid output path: directory "${parent}" does not exist`); });
    if (!ps.isDirectory()) throw new Error('not a directory');
  }
  const plan = prepareArchiveCopy(content, { path: srcPath, exists: true, isDir: isDirMode(st.mode), rebaseName }, dst);
  await extractTar(plan.content, plan.dir, { whiteouts: false, chown: false });
}

async function copyToContainer(ctx: CliContext, api: ArchiveApi, srcArg: string, dst: CopyEnd & { container: string }, f: CpFlags): Promise<void> {
  const where = `${dst.container}:${dst.path}`;
  const info: CopyInfo = { path: dst.path, exists: false, isDir: false };
  let st = await api.statPath(dst.container, dst.path).catch(() => undefined);
  if (st && isSymlinkMode(st.mode)) {
    info.path = st.linkTarget.startsWith('/') ? st.linkTarget : posix.join(splitDirEntry(dst.path)[0], st.linkTarget);
    st = await api.statPath(dst.container, info.path).catch(() => undefined);
  }
  if (st) {
    if (isDeviceOrIrregular(st.mode)) throw new Error(`destination "${where}" must be a directory or a regular file`);
    Object.assign(info, { exists: true, isDir: isDirMode(st.mode) });
  }
  let content: Readable;
  let dir: string;
  if (srcArg === '-') {
    if (!info.isDir) throw new Error(`destination "${where}" must be a directory`);
    content = ctx.io.stdin;
    dir = info.path;
  } else {
    const local = localPath(srcArg);
    const [, base] = splitDirEntry(local);
    const resolved = f.followLink ? await realpath(local) : local.replace(/\/\.?$/, '') || '/';
    const s = await lstat(resolved);
    const src: CopyInfo = { path: local, exists: true, isDir: s.isDirectory() };
    const plan = prepareArchiveCopy(tarLocal(resolved, base), src, info);
    content = plan.content;
    dir = plan.dir;
  }
  await api.copyTo(dst.container, dir, content, { noOverwriteDirNonDir: true, copyUIDGID: f.archive });
}

export function cpCommand(ctx: CliContext): Command {
  const cmd = newCommand('cp', '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
    'Copy files/folders between a container and the local filesystem')
    .option('-a, --archive', 'Archive mode (copy all uid/gid information)')
    .option('-L, --follow-link', 'Always follow symbol link in SRC_PATH')
    .option('-q, --quiet', 'Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached')
    .argument('[args...]');
  return cmd.action(async (args: string[], f: CpFlags) => {
    checkArgs(cmd, args, 2, 2);
    const src = splitCpArg(args[0]);
    const dst = splitCpArg(args[1]);
    if (src.container !== undefined && dst.container !== undefined) throw new Error('copying between containers is not supported');
    if (src.container === undefined && dst.container === undefined) throw new Error('must specify at least one container source');
    if (!src.path || !dst.path) throw new Error('filesystem path cannot be empty');
    const api = new ArchiveApi(ctx.client.transport);
    if (src.container !== undefined) await copyFromContainer(ctx, api, src as CopyEnd & { container: string }, args[1], f);
    else await copyToContainer(ctx, api, args[0], dst as CopyEnd & { container: string }, f);
  });
}
