import { createReadStream, type Stats } from 'node:fs';
import { readlink } from 'node:fs/promises';
import type * as tar from 'tar-stream';

/** Adds one header-only entry (directory, symlink, link, device) and waits until it is written. */
export function packEntry(pack: tar.Pack, h: Partial<tar.Header> & { name: string }): Promise<void> {
  return new Promise((resolve, reject) => pack.entry(h, (err) => (err ? reject(err) : resolve())));
}

/**
 * Packs one lstat'd non-directory as `name`: a regular file with its content (a file seen
 * before under another name, by dev and inode, becomes a hardlink to that name), a symlink as
 * a link entry (never followed), fifos and devices as headers. Sockets are skipped, as in
 * Docker. `hardlinks` is shared across one archive.
 */
export async function packNode(pack: tar.Pack, hostPath: string, name: string, st: Stats, hardlinks: Map<string, string>): Promise<void> {
  const base = { name, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
  if (st.isSymbolicLink()) {
    await packEntry(pack, { ...base, type: 'symlink', linkname: await readlink(hostPath) });
  } else if (st.isFile()) {
    const key = `${st.dev}:${st.ino}`;
    const first = st.nlink > 1 ? hardlinks.get(key) : undefined;
    if (first) { await packEntry(pack, { ...base, type: 'link', linkname: first }); return; }
    if (st.nlink > 1) hardlinks.set(key, name);
    await new Promise<void>((resolve, reject) => {
      const sink = pack.entry({ ...base, type: 'file', size: st.size }, (err) => (err ? reject(err) : resolve()));
      const src = createReadStream(hostPath).on('error', reject);
      // a pack destroyed mid-file (its reader failed: a full disk) errors the entry: pipe() would rethrow that uncaught
      sink.on('error', (err) => { src.destroy(); reject(err); });
      src.pipe(sink);
    });
  } else if (st.isFIFO() || st.isCharacterDevice() || st.isBlockDevice()) {
    const type = st.isFIFO() ? 'fifo' : st.isCharacterDevice() ? 'character-device' : 'block-device';
    await packEntry(pack, { ...base, type, devmajor: Math.floor(st.rdev / 256) & 0xfff, devminor: (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00) });
  }
}
