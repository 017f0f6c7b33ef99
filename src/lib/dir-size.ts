import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
/** True when err (a Node system error) carries the given errno code. */
const hasErrno = (err: unknown, code: string) => (err as { code?: unknown } | null)?.code === code;

/**
 * Bytes of the files under a directory as Docker's directory.Size counts them: regular files
 * and links by their size, each inode once, directories themselves not counted. A missing
 * directory is 0.
 */
export async function dirSize(dir: string): Promise<number> {
  const seen = new Set<number>();
  let total = 0;
  const walk = async (d: string): Promise<void> => {
    let names: string[];
    try { names = await readdir(d); } catch (e) { if (hasErrno(e, 'ENOENT') || hasErrno(e, 'ENOTDIR')) return; throw e; }
    for (const n of names) {
      const p = join(d, n);
      const st = await lstat(p).catch((e) => { if (hasErrno(e, 'ENOENT')) return undefined; throw e; });
      if (!st) continue;
      if (st.isDirectory()) { await walk(p); continue; }
      if (st.nlink > 1) { if (seen.has(st.ino)) continue; seen.add(st.ino); }
      total += st.size;
    }
  };
  await walk(dir);
  return total;
}
