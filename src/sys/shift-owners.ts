import { chmod, lchown, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgument } from '../errdefs';
import { toHostId, type IdMap } from '../lib/id-map';

/**
 * Gives every entry under dir (dir included) the host owner its current owner maps to, as
 * Docker's chowned layer copies for a remapped root do. Hard-linked inodes are shifted once;
 * setuid/setgid bits, which chown clears, are put back. An owner outside the mapping is an
 * InvalidArgument naming the path (dockerd: "Container ID 70000 cannot be mapped to a host ID").
 */
export async function shiftOwners(dir: string, map: IdMap): Promise<void> {
  const seen = new Set<number>();
  const visit = async (path: string): Promise<void> => {
    const st = await lstat(path);
    if (!seen.has(st.ino)) {
      seen.add(st.ino);
      const uid = toHostId(map.uids, st.uid);
      const gid = toHostId(map.gids, st.gid);
      if (uid === undefined) throw new InvalidArgument(`Container ID ${st.uid} cannot be mapped to a host ID (${path})`);
      if (gid === undefined) throw new InvalidArgument(`Container ID ${st.gid} cannot be mapped to a host ID (${path})`);
      await lchown(path, uid, gid);
      if (!st.isSymbolicLink() && st.mode & 0o6000) await chmod(path, st.mode & 0o7777);
    }
    if (st.isDirectory()) for (const name of await readdir(path)) await visit(join(path, name));
  };
  await visit(dir);
}
