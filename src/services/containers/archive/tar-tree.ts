import type { Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { hasErrno } from '../../../errdefs';
import { hostPathOf, type ContainerView } from './container-view';
import { packEntry, packNode } from '../../../lib/tar';
import type { OwnerMap } from './id-owner';

export interface TarTreeOptions {
  /** The container path to archive (already resolved; a symlink here is archived as a link). */
  path: string;
  /** The entry name the path takes in the archive (its contents go under `name/`); '' leaves a directory itself out. */
  name: string;
  /** Skip bind mounts (export holds the rootfs only). */
  rootfsOnly?: boolean;
  /** The owner an entry gets in the tar from its owner on disk (a remapped container's IDs); default: as on disk. */
  owner?: OwnerMap;
  signal?: AbortSignal;
}

/**
 * Streams a tar of a container path. The walk never follows a symlink (lstat only, and
 * only real directories are entered), so it stays inside the rootfs and its mounts; bind
 * mounts are entered where they sit in the tree. Hardlinked files become link entries.
 */
export function tarTree(view: ContainerView, opts: TarTreeOptions): Readable {
  const pack = tar.pack();
  const v: ContainerView = opts.rootfsOnly ? { rootfs: view.rootfs, mounts: [] } : view;
  const seen = new Map<string, string>();

  const add = async (cpath: string, name: string): Promise<void> => {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const host = hostPathOf(v, cpath);
    let st: Stats;
    try { st = await lstat(host); } catch (err) {
      if (hasErrno(err, 'ENOENT')) return; // gone while walking
      throw err;
    }
    if (opts.owner) st = Object.assign(Object.create(st) as Stats, opts.owner(st.uid, st.gid));
    const base = { name, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
    if (st.isDirectory()) {
      if (name !== '') await entry({ ...base, name: name.endsWith('/') ? name : name + '/', type: 'directory' });
      const children = new Set(await readdir(host));
      for (const m of v.mounts) if (posix.dirname(m.destination) === cpath) children.add(posix.basename(m.destination));
      for (const c of [...children].sort()) {
        await add(cpath === '/' ? '/' + c : cpath + '/' + c, name === '' ? c : name === '.' ? './' + c : posix.join(name, c));
      }
    } else {
      await packNode(pack, host, name, st, seen);
    }
  };
  const entry = (h: Partial<tar.Header> & { name: string }) => packEntry(pack, h);

  add(opts.path, opts.name).then(() => pack.finalize(), (err) => pack.destroy(err as Error));
  return pack as unknown as Readable;
}
