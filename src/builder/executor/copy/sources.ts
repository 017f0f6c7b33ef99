/**
 * COPY/ADD sources as Docker's copier finds them (builder/dockerfile/copy.go): a path in the
 * build context (or in a `--from` image), `./` and `/` prefixes dropped, symlinks followed
 * within the tree, wildcards matched against every path in it; each with its checksum.
 */
import { InvalidArgument, NotFound } from '../../../errdefs';
import { contextRelative } from '../scoped-path';
import { goMatchPattern, hasWildcards } from '../../../lib/go-path-match';
import { resolveScoped, type SourceFs } from './source-fs';
import type { SourceHasher } from './source-hash';

export interface CopySource {
  /** The host path to copy from (the tree is put on disk by then). */
  hostPath(): Promise<string>;
  /** The path as written or matched: its basename names a file copied into a directory. */
  name: string;
  hash: string;
  isDir: boolean;
  /** ADD of a local file: unpacked when it is an archive. */
  unpack: boolean;
  /** The mode to give the copied file instead of its own (downloads: 0600). */
  mode?: number;
  /** The mtime to give it (downloads: Last-Modified). */
  mtime?: Date;
}

export interface SourceRoot {
  fs: SourceFs;
  /** The build context (its errors say so), not an image. */
  isContext: boolean;
  hasher: SourceHasher;
}

/** Every path of the tree, parents before children, siblings sorted (filepath.Walk's order). */
async function walk(fs: SourceFs, rel = '', out: string[] = []): Promise<string[]> {
  for (const name of (await fs.readdir(rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    out.push(r);
    if ((await fs.lstat(r))?.type === 'dir') await walk(fs, r, out);
  }
  return out;
}

async function one(src: SourceRoot, rel: string, unpack: boolean): Promise<CopySource> {
  const path = await resolveScoped(src.fs, rel);
  const st = await src.fs.lstat(path);
  if (!st) {
    const msg = `stat ${rel}: file does not exist`;
    throw new NotFound(src.isContext ? `file not found in build context or excluded by .dockerignore: ${msg}` : msg);
  }
  const hostPath = () => src.fs.hostPath(path);
  if (st.type === 'dir') return { hostPath, name: rel, hash: await src.hasher.dir(path), isDir: true, unpack: false };
  return { hostPath, name: rel, hash: await src.hasher.file(path, rel, st), isDir: false, unpack };
}

/**
 * The sources one COPY/ADD argument names. A wildcard that matches nothing gives none (the
 * caller reports `no source files were specified` when all give none).
 */
export async function findSources(src: SourceRoot, written: string, unpack: boolean): Promise<CopySource[]> {
  const rel = contextRelative(written.replace(/^\/+/, '').replace(/^\.\//, ''));
  if (!hasWildcards(rel)) return [await one(src, rel, unpack)];
  const re = goMatchPattern(rel);
  const out: CopySource[] = [];
  for (const p of await walk(src.fs)) if (re.test(p)) out.push(await one(src, p, unpack));
  return out;
}

/** Docker's check for several sources: the destination must be a directory. */
export function checkDestForMany(count: number, dest: string, instr: string): void {
  if (count > 1 && !dest.endsWith('/')) {
    throw new InvalidArgument(`When using ${instr} with more than one source file, the destination must be a directory and end with a /`);
  }
}
