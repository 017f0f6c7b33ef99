import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hasErrno } from '../../../errdefs';

/** Docker's change kinds. */
export const enum ChangeKind { Modified = 0, Added = 1, Deleted = 2 }
export interface Change { Path: string; Kind: ChangeKind }

export interface LayerDirs {
  /** The container's overlay upperdir. */
  upper: string;
  /** The image's layer dirs, top first. */
  lowers: string[];
}

const isWhiteout = (st: { isCharacterDevice(): boolean; rdev: number }) => st.isCharacterDevice() && st.rdev === 0;

/** Whether path is visible in the image: the topmost layer holding it decides (a whiteout hides it). */
async function inImage(lowers: string[], rel: string): Promise<boolean> {
  for (const l of lowers) {
    try {
      return !isWhiteout(await lstat(join(l, rel)));
    } catch (err) {
      if (!hasErrno(err, 'ENOENT') && !hasErrno(err, 'ENOTDIR')) throw err;
    }
  }
  return false;
}

/**
 * The container's changes to its image, read from the overlay upperdir as Docker reports
 * them: whiteouts are deletions, entries the image has are modifications (a directory is
 * one when anything under it changed), the rest additions. Paths in `hidden` (mount points
 * the runtime created, such as /etc/hosts) are left out, and so are directories that
 * were only copied up to hold them. Sorted by path.
 */
export async function containerChanges(dirs: LayerDirs, hidden: ReadonlySet<string> = new Set()): Promise<Change[]> {
  const out: Change[] = [];
  const walk = async (rel: string): Promise<boolean> => {
    let names: string[];
    try { names = await readdir(join(dirs.upper, rel)); } catch (err) {
      if (hasErrno(err, 'ENOENT')) return false;
      throw err;
    }
    let any = false;
    for (const name of names.sort()) {
      const child = `${rel}/${name}`;
      const st = await lstat(join(dirs.upper, child));
      if (isWhiteout(st)) { out.push({ Path: child, Kind: ChangeKind.Deleted }); any = true; continue; }
      if (hidden.has(child)) continue;
      const existed = await inImage(dirs.lowers, child);
      const at = out.length;
      out.push({ Path: child, Kind: existed ? ChangeKind.Modified : ChangeKind.Added });
      const inner = st.isDirectory() ? await walk(child) : false;
      // a directory of the image copied up only for a hidden mount point is no change
      if (st.isDirectory() && existed && !inner && [...hidden].some((h) => h.startsWith(child + '/'))) { out.splice(at, 1); continue; }
      any = true;
    }
    return any;
  };
  await walk('');
  return out.sort((a, b) => (a.Path < b.Path ? -1 : a.Path > b.Path ? 1 : 0));
}
