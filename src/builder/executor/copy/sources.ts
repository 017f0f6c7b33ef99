/**
 * COPY/ADD sources as Docker's copier finds them (builder/dockerfile/copy.go): a path in the
 * build context (or in a `--from` image), `./` and `/` prefixes dropped, symlinks followed
 * within the root, wildcards matched against every path under it; each with its checksum.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgument, NotFound } from '../../../errdefs';
import { contextRelative, resolveInScope } from '../scoped-path';
import { goMatchPattern, hasWildcards } from '../go-match';
import type { SourceHasher } from './source-hash';

export interface CopySource {
  /** Host path of the entry, symlinks resolved. */
  path: string;
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
  /** Host directory the sources are relative to. */
  root: string;
  /** The build context (its errors say so), not an image. */
  isContext: boolean;
  hasher: SourceHasher;
}

/** Every path under root, parents before children, siblings sorted (filepath.Walk's order). */
async function walk(root: string, rel = '', out: string[] = []): Promise<string[]> {
  for (const name of (await readdir(rel ? join(root, rel) : root)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    out.push(r);
    if ((await lstat(join(root, r))).isDirectory()) await walk(root, r, out);
  }
  return out;
}

async function one(src: SourceRoot, rel: string, unpack: boolean): Promise<CopySource> {
  const path = await resolveInScope(src.root, rel);
  let st;
  try { st = await stat(path); } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
    const msg = `stat ${rel}: file does not exist`;
    throw new NotFound(src.isContext ? `file not found in build context or excluded by .dockerignore: ${msg}` : msg, { cause: err });
  }
  if (st.isDirectory()) return { path, name: rel, hash: await src.hasher.dir(path), isDir: true, unpack: false };
  return { path, name: rel, hash: await src.hasher.file(path, rel, st), isDir: false, unpack };
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
  for (const p of await walk(src.root)) if (re.test(p)) out.push(await one(src, p, unpack));
  return out;
}

/** Docker's check for several sources: the destination must be a directory. */
export function checkDestForMany(count: number, dest: string, instr: string): void {
  if (count > 1 && !dest.endsWith('/')) {
    throw new InvalidArgument(`When using ${instr} with more than one source file, the destination must be a directory and end with a /`);
  }
}
