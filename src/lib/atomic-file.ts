import { open, rename, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The file operations an atomic write is made of, in the order it calls them. Injectable so a
 * test can cut a write at any step (a machine crash) without mocking the store above it.
 */
export interface AtomicFs {
  /** Creates (truncating) path and writes data into it. */
  write(path: string, data: Buffer, mode: number): Promise<void>;
  /** fsync(2) of a file or a directory. */
  sync(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

/** The real file system. */
export const nodeAtomicFs: AtomicFs = {
  async write(path, data, mode) {
    const fh = await open(path, 'w', mode);
    try { await fh.writeFile(data); } finally { await fh.close(); }
  },
  async sync(path) {
    const fh = await open(path, 'r');
    try { await fh.sync(); } finally { await fh.close(); }
  },
  rename: (from, to) => rename(from, to),
};

export interface AtomicWriteOptions { mode?: number; fs?: AtomicFs }

const TEMP = /^\..+\.[0-9a-f]{12}\.tmp$/;

/** Whether name is a temp file of writeFileAtomic (left behind by a crash before its rename). */
export const isAtomicTemp = (name: string): boolean => TEMP.test(name);

/**
 * Writes data to path so that a crash at any point leaves either the old file or the new one:
 * a temp file in the same directory, fsynced, then renamed over path, then the dir fsynced.
 * A crash before the rename leaves a temp file (see isAtomicTemp, removeAtomicTemps).
 */
export async function writeFileAtomic(path: string, data: string | Buffer, opts: number | AtomicWriteOptions = {}): Promise<void> {
  const { mode = 0o644, fs = nodeAtomicFs } = typeof opts === 'number' ? { mode: opts } : opts;
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.write(tmp, typeof data === 'string' ? Buffer.from(data) : data, mode);
    await fs.sync(tmp);
    await fs.rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  await fs.sync(dir);
}

export async function writeJsonAtomic(path: string, value: unknown, fs?: AtomicFs): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value), { fs });
}

/**
 * Writes and fsyncs a file in a dir that is not yet visible (a staged dir renamed into place
 * later, then its parent synced with syncDir): no temp file needed.
 */
export async function writeFileSynced(path: string, data: string | Buffer, fs: AtomicFs = nodeAtomicFs): Promise<void> {
  await fs.write(path, typeof data === 'string' ? Buffer.from(data) : data, 0o644);
  await fs.sync(path);
}

/** fsync of a directory: makes the renames and creations in it durable. */
export function syncDir(dir: string, fs: AtomicFs = nodeAtomicFs): Promise<void> {
  return fs.sync(dir);
}

/** Deletes the temp files a crash left in dir; returns their names. ENOENT for dir is none. */
export async function removeAtomicTemps(dir: string): Promise<string[]> {
  let names: string[];
  try { names = await readdir(dir); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const temps = names.filter(isAtomicTemp);
  for (const t of temps) await rm(join(dir, t), { force: true });
  return temps;
}

/** A small file's text; '' when it is absent (other fs errors are thrown). */
export async function readIfPresent(path: string): Promise<string> {
  try { return await readFile(path, 'utf8'); } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/** Reads and parses a JSON file; throws the fs error (ENOENT) as is, and SyntaxError for garbage. */
export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}
