import { lstat, readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { InvalidArgument, hasErrno } from '../../../errdefs';

/** A host directory mounted at `destination` inside the container (a bind). */
export interface ViewMount { destination: string; source: string; readonly: boolean }

/**
 * The container's filesystem as its processes see it: the rootfs with its bind mounts on top.
 * Every path in this module is a container path (absolute, `/`-rooted at the container root)
 * until `hostPathOf` turns it into the host path that holds it.
 */
export interface ContainerView {
  rootfs: string;
  /** Binds; the longest destination that is a prefix of a path wins, as mount stacking does. */
  mounts: ViewMount[];
}

/** Symlinks followed in one resolution before it fails with ELOOP, as Linux does (40). */
const MAX_LINKS = 40;

/** `/a//b/../c/` -> `/a/c`; never climbs above `/`. */
export function cleanContainerPath(p: string): string {
  const n = posix.normalize('/' + p);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

/** The mount whose destination holds the clean container path p, if any. */
export function mountOf(view: ContainerView, p: string): ViewMount | undefined {
  let best: ViewMount | undefined;
  for (const m of view.mounts) {
    if ((p === m.destination || p.startsWith(m.destination + '/')) && (!best || m.destination.length > best.destination.length)) best = m;
  }
  return best;
}

/**
 * The host path that holds the clean container path p, mapping by mount only: callers pass
 * paths whose components they resolved themselves (`resolvePath`) or walked with lstat.
 */
export function hostPathOf(view: ContainerView, p: string): string {
  const m = mountOf(view, p);
  if (m) return m.source + p.slice(m.destination.length);
  return p === '/' ? view.rootfs : view.rootfs + p;
}

export interface ResolveOptions {
  /** Follow a symlink in the last component too (default false: the link itself is the answer). */
  followFinal?: boolean;
}

export interface Resolved {
  /** The container path after every symlink was followed (the final one only if asked). */
  path: string;
  /** The host path holding it: under the rootfs or a bind source, never anywhere else. */
  hostPath: string;
}

/**
 * Resolves a container path as the container would ("secure join"): each component is
 * looked up with lstat; a symlink's target is read and followed inside the container, an
 * absolute target and any `..` re-rooted at the container root, so no symlink the
 * container holds can lead out of its rootfs or its mounts. Missing components are kept as
 * they are (a later create happens under a real directory; a mount may lie below them).
 * InvalidArgument after 40 symlinks (a loop).
 */
export async function resolvePath(view: ContainerView, path: string, opts: ResolveOptions = {}): Promise<Resolved> {
  if (path.includes('\0')) throw new InvalidArgument(`invalid path ${JSON.stringify(path)}: it holds a NUL byte`);
  const pending = cleanContainerPath(path).split('/').filter(Boolean);
  const done: string[] = [];
  let links = 0;
  while (pending.length) {
    const part = pending.shift()!;
    if (part === '.') continue;
    if (part === '..') { done.pop(); continue; }
    done.push(part);
    const isLast = pending.length === 0;
    const cur = '/' + done.join('/');
    const m = mountOf(view, cur);
    if (m && m.destination === cur) continue; // a mount point is the mount's root, whatever the rootfs has there
    let st;
    try { st = await lstat(hostPathOf(view, cur)); } catch (err) {
      if (hasErrno(err, 'ENOENT') || hasErrno(err, 'ENOTDIR')) continue; // created later, or a mount below it
      if (hasErrno(err, 'ENAMETOOLONG')) throw new InvalidArgument(`invalid path ${JSON.stringify(path.slice(0, 64) + '...')}: file name too long`, { cause: err });
      throw err;
    }
    if (!st.isSymbolicLink() || (isLast && !opts.followFinal)) continue;
    if (++links > MAX_LINKS) throw new InvalidArgument(`too many levels of symbolic links resolving ${path}`);
    const target = await readlink(hostPathOf(view, cur));
    done.pop();
    if (target.startsWith('/')) done.length = 0;
    pending.unshift(...target.split('/').filter(Boolean));
  }
  const resolved = '/' + done.join('/');
  return { path: resolved, hostPath: hostPathOf(view, resolved) };
}
