import { lstat, readlink } from 'node:fs/promises';
import { InvalidArgument } from '../../errdefs';

const MAX_LINKS = 255;

/**
 * The host path of `path` inside `root`, following symlinks as if root were `/` (moby's
 * symlink.FollowSymlinkInScope): absolute link targets and `..` never leave root. Components
 * that do not exist are kept as written. Every existing component of the result is a real
 * directory or the final entry, so writing there cannot escape root.
 */
export async function resolveInScope(root: string, path: string): Promise<string> {
  const todo = path.split('/').filter((p) => p !== '' && p !== '.');
  const done: string[] = [];
  let links = 0;
  while (todo.length) {
    const part = todo.shift()!;
    if (part === '..') { done.pop(); continue; }
    const candidate = [...done, part];
    const host = `${root}/${candidate.join('/')}`;
    let isLink = false;
    try { isLink = (await lstat(host)).isSymbolicLink(); } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
    }
    if (!isLink) { done.push(part); continue; }
    if (++links > MAX_LINKS) throw new InvalidArgument(`too many links in ${path}`);
    const target = await readlink(host);
    if (target.startsWith('/')) done.length = 0;
    todo.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
  }
  return done.length ? `${root}/${done.join('/')}` : root;
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
