import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hasErrno } from '../../errdefs';

/**
 * Bytes a file or directory tree takes on disk, as `du -B1` counts them: allocated blocks of
 * every entry (directories included), each inode once across `seen`. A missing path is 0.
 */
export async function diskBytes(path: string, seen = new Set<string>()): Promise<number> {
  const st = await lstat(path).catch((e) => { if (hasErrno(e, 'ENOENT')) return undefined; throw e; });
  if (!st) return 0;
  const key = `${st.dev}:${st.ino}`;
  if (seen.has(key)) return 0;
  seen.add(key);
  let total = st.blocks * 512;
  if (st.isDirectory()) {
    const names = await readdir(path).catch((e) => { if (hasErrno(e, 'ENOENT')) return []; throw e; });
    for (const n of names) total += await diskBytes(join(path, n), seen);
  }
  return total;
}
