import { join } from 'node:path';
import { InvalidArgument } from '../../errdefs';
import { hostSourceFs, resolveScoped } from './copy/source-fs';

/**
 * The host path of `path` inside `root`, following symlinks as if root were `/` (moby's
 * symlink.FollowSymlinkInScope): absolute link targets and `..` never leave root. Components
 * that do not exist are kept as written. Every existing component of the result is a real
 * directory or the final entry, so writing there cannot escape root.
 */
export async function resolveInScope(root: string, path: string): Promise<string> {
  const rel = await resolveScoped(hostSourceFs(root), path);
  return rel ? join(root, rel) : root;
}

/**
 * `rel` (a context path as written in COPY, `./` and `/` prefixes dropped) cleaned, or
 * InvalidArgument `forbidden path outside the build context` when `..` climbs out.
 */
export function contextRelative(rel: string): string {
  const out: string[] = [];
  for (const part of rel.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!out.length) throw new InvalidArgument(`forbidden path outside the build context: ${rel} ()`);
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out.join('/');
}
