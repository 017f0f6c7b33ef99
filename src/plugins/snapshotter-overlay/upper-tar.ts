import type { Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { getXattr } from '../../sys/mount';
import { packEntry, packNode } from '../../lib/tar';

export interface UpperTarOptions {
  /** Paths (`/etc/hosts`) left out: mount points the runtime made, not the container's changes. */
  exclude?: ReadonlySet<string>;
  signal?: AbortSignal;
  /** The owner an entry gets in the tar from its owner on disk (a remapped container's IDs mapped back); default: as on disk. */
  owner?: (uid: number, gid: number) => { uid: number; gid: number };
}

const WH_PREFIX = '.wh.';
const WH_OPAQUE = '.wh..wh..opq';

/**
 * Streams an overlay upperdir as a layer tar: a whiteout (0/0 character device) becomes an
 * empty `.wh.<name>` file, an opaque directory (`trusted.overlay.opaque=y`) gets a
 * `.wh..wh..opq` entry; modes, owners, mtimes, symlinks and hardlinks are kept. Entry names
 * are relative (`etc/passwd`), parents before children, siblings sorted. Sockets are skipped.
 */
export function tarUpperDir(upper: string, opts: UpperTarOptions = {}): Readable {
  const pack = tar.pack();
  const seen = new Map<string, string>();
  const exclude = opts.exclude ?? new Set<string>();
  const entry = (h: Partial<tar.Header> & { name: string }) => packEntry(pack, h);
  // a file entry without a body would wait for one to be written
  const marker = (name: string) => new Promise<void>((resolve, reject) => pack.entry({ name, type: 'file', size: 0, mode: 0o644, uid: 0, gid: 0 }, Buffer.alloc(0), (err) => (err ? reject(err) : resolve())));

  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(join(upper, rel))).sort()) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      const path = rel ? `${rel}/${name}` : name;
      if (exclude.has(`/${path}`)) continue;
      const host = join(upper, path);
      const disk = await lstat(host);
      const st = opts.owner ? Object.assign(Object.create(disk) as Stats, opts.owner(disk.uid, disk.gid)) : disk;
      const base = { name: path, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
      if (st.isCharacterDevice() && st.rdev === 0) {
        await marker(rel ? `${rel}/${WH_PREFIX}${name}` : `${WH_PREFIX}${name}`);
      } else if (st.isDirectory()) {
        await entry({ ...base, name: `${path}/`, type: 'directory' });
        if ((await getXattr(host, 'trusted.overlay.opaque')) === 'y') {
          await marker(`${path}/${WH_OPAQUE}`);
        }
        await walk(path);
      } else {
        await packNode(pack, host, path, st, seen);
      }
    }
  };

  walk('').then(() => pack.finalize(), (err) => pack.destroy(err as Error));
  return pack as unknown as Readable;
}
