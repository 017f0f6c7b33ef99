/**
 * A read-only tree COPY/ADD sources come from: the build context (indexed from its tar, its
 * files only written to disk when a step copies them) or an image's filesystem (a mounted
 * layer). Paths are relative to the tree's root, `/`-separated, without `./`.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgument } from '../../../errdefs';

export interface SourceStat {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Symlink target. */
  linkname?: string;
}

export interface SourceFs {
  /** The entry at rel (not following a final symlink); undefined when there is none. */
  lstat(rel: string): Promise<SourceStat | undefined>;
  readdir(rel: string): Promise<string[]>;
  /** sha256 (hex) of a regular file's content. */
  contentHash(rel: string): Promise<string>;
  /** The host path of rel, for copying (the tree is put on disk first if it is not there yet). */
  hostPath(rel: string): Promise<string>;
}

const MAX_LINKS = 255;

/**
 * rel with every symlink on the way followed inside the tree, as if its root were `/`
 * (moby's FollowSymlinkInScope). Missing components are kept as written.
 */
export async function resolveScoped(fs: Pick<SourceFs, 'lstat'>, path: string): Promise<string> {
  const todo = path.split('/').filter((p) => p !== '' && p !== '.');
  const done: string[] = [];
  let links = 0;
  while (todo.length) {
    const part = todo.shift()!;
    if (part === '..') { done.pop(); continue; }
    const st = await fs.lstat([...done, part].join('/'));
    if (st?.type !== 'symlink') { done.push(part); continue; }
    if (++links > MAX_LINKS) throw new InvalidArgument(`too many links in ${path}`);
    const target = st.linkname ?? '';
    if (target.startsWith('/')) done.length = 0;
    todo.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
  }
  return done.join('/');
}

/** A directory on this host as a SourceFs. */
export function hostSourceFs(root: string): SourceFs {
  const abs = (rel: string) => (rel ? join(root, rel) : root);
  return {
    lstat: async (rel) => {
      let st;
      try { st = await lstat(abs(rel)); } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
        throw err;
      }
      const type = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other';
      return { type, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: st.size, ...(type === 'symlink' ? { linkname: await readlink(abs(rel)) } : {}) };
    },
    readdir: (rel) => readdir(abs(rel)),
    contentHash: async (rel) => {
      const h = createHash('sha256');
      for await (const chunk of createReadStream(abs(rel))) h.update(chunk as Buffer);
      return h.digest('hex');
    },
    hostPath: async (rel) => abs(rel),
  };
}
