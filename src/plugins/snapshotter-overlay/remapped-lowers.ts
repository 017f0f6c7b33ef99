import { randomBytes } from 'node:crypto';
import { chown, mkdir, readdir, readlink, rename, rm, rmdir, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { hasErrno } from '../../errdefs';
import { remappedRoot, type IdMap } from '../../lib/id-map';
import { KeyedLock } from '../../lib/keyed-lock';
import { copyTree } from '../../sys/copy-tree';
import { idmapMount } from '../../sys/idmap-mount';
import { usernsFd } from '../../sys/userns';
import { mountOverlay, unmount } from '../../sys/mount';
import { shiftOwners } from '../../sys/shift-owners';

/** The overlay `lowerdir=` entries, relative to cwd, that show a layer stack in a container's user namespace. */
export interface RemappedLowers { lowerdirs: string[]; cwd: string }

/**
 * How a remapped container's image layers appear owned by its remapped root without changing
 * the shared layers: `idmap` binds each layer through an idmapped mount, per container;
 * `copy` uses chowned copies made once per layer and remapped root (Docker's way).
 */
export interface LowerRemapper {
  readonly kind: 'idmap' | 'copy';
  /** lowers: the layer store's `lowerdir=` list (relative to its root); containerDir: the container's layer dir. */
  prepare(containerDir: string, lowers: string[], map: IdMap): Promise<RemappedLowers>;
  /** Undoes what prepare made for the container (idempotent). */
  release(containerDir: string): Promise<void>;
}

const ENOENT_OK = (err: unknown) => { if (!hasErrno(err, 'ENOENT')) throw err; };

/**
 * Idmapped mounts of each lower layer at `<container>/lower/<n>` (read-only), kept while the
 * overlay is mounted and taken down by release. Nothing is copied.
 */
export class IdmappedLowers implements LowerRemapper {
  readonly kind = 'idmap';
  constructor(private readonly layerRoot: string) {}

  async prepare(containerDir: string, lowers: string[], map: IdMap): Promise<RemappedLowers> {
    await this.release(containerDir);
    const fd = await usernsFd(map);
    const dir = join(containerDir, 'lower');
    const out: string[] = [];
    try {
      for (const [i, l] of lowers.entries()) {
        await mkdir(join(dir, String(i)), { recursive: true });
        idmapMount(join(this.layerRoot, l), join(dir, String(i)), fd);
        out.push(`lower/${i}`);
      }
    } catch (err) {
      await this.release(containerDir);
      throw err;
    }
    return { lowerdirs: out, cwd: containerDir };
  }

  release(containerDir: string): Promise<void> { return releaseIdmappedLowers(containerDir); }
}

/**
 * Detaches every `<container>/lower/<n>` and removes the (then empty) mount points: rmdir,
 * never rm -r, so a mount left over cannot lose layer content. Idempotent.
 */
export async function releaseIdmappedLowers(containerDir: string): Promise<void> {
  const dir = join(containerDir, 'lower');
  let names: string[];
  try { names = await readdir(dir); } catch (err) { ENOENT_OK(err); return; }
  for (const n of names) {
    await unmount(join(dir, n));
    await rmdir(join(dir, n)).catch(ENOENT_OK);
  }
  await rmdir(dir).catch(ENOENT_OK);
}

/**
 * Chowned copies of layers under `<copiesRoot>/<uid>.<gid>/` (`layers/<chain hex>/diff`, short
 * links `l/<link>`, `empty`), shared by every container of that remapped root, each made once
 * (in `tmp/`, renamed into place). prune drops copies of layers gone from the store.
 */
export class CopiedLowers implements LowerRemapper {
  readonly kind = 'copy';
  private readonly lock = new KeyedLock();
  constructor(private readonly layerRoot: string, private readonly copiesRoot: string) {}

  /** `<copiesRoot>/<uid>.<gid>`, as Docker names a remapped root's data dir. */
  rootDir(map: IdMap): string {
    const r = remappedRoot(map);
    return join(this.copiesRoot, `${r.uid}.${r.gid}`);
  }

  async prepare(_containerDir: string, lowers: string[], map: IdMap): Promise<RemappedLowers> {
    const root = this.rootDir(map);
    const owner = remappedRoot(map);
    for (const d of ['layers', 'l', 'tmp']) await mkdir(join(root, d), { recursive: true });
    for (const l of lowers) {
      if (l === 'empty') {
        await mkdir(join(root, 'empty'), { recursive: true });
        await chown(join(root, 'empty'), owner.uid, owner.gid);
        continue;
      }
      const target = await readlink(join(this.layerRoot, l)); // ../layers/<hex>/diff
      const hex = basename(dirname(target));
      await this.lock.run(`${root}/${hex}`, () => this.copy(root, hex, map));
      await symlink(target, join(root, l)).catch((err) => { if (!hasErrno(err, 'EEXIST')) throw err; });
    }
    return { lowerdirs: lowers, cwd: root };
  }

  private async copy(root: string, hex: string, map: IdMap): Promise<void> {
    const dest = join(root, 'layers', hex);
    if (await stat(dest).then(() => true, (err) => { ENOENT_OK(err); return false; })) return;
    const tmp = join(root, 'tmp', `${hex}-${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(join(tmp, 'diff'), { recursive: true });
      await copyTree(join(this.layerRoot, 'layers', hex, 'diff'), join(tmp, 'diff'));
      await shiftOwners(join(tmp, 'diff'), map);
      await rename(tmp, dest);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  async release(): Promise<void> { /* copies are shared; prune removes them */ }

  /** Removes copies (and links to them) of layers no longer in the store, and half-made copies. */
  async prune(): Promise<void> {
    let roots: string[];
    try { roots = await readdir(this.copiesRoot); } catch (err) { ENOENT_OK(err); return; }
    for (const r of roots.filter((n) => /^\d+\.\d+$/.test(n)).map((n) => join(this.copiesRoot, n))) {
      await rm(join(r, 'tmp'), { recursive: true, force: true });
      for (const hex of await readdir(join(r, 'layers')).catch(() => [] as string[])) {
        const gone = await stat(join(this.layerRoot, 'layers', hex)).then(() => false, (err) => { ENOENT_OK(err); return true; });
        if (gone) await rm(join(r, 'layers', hex), { recursive: true, force: true });
      }
      for (const link of await readdir(join(r, 'l')).catch(() => [] as string[])) {
        const dangling = await stat(join(r, 'l', link)).then(() => false, (err) => { ENOENT_OK(err); return true; });
        if (dangling) await rm(join(r, 'l', link), { force: true });
      }
    }
  }
}

/**
 * Whether this kernel and the layer store's file system take idmapped mounts as overlay lower
 * layers: tries one under `<layerRoot>/tmp/`. Undefined when they do, else the reason.
 */
export async function idmapUnsupported(layerRoot: string, map: IdMap): Promise<string | undefined> {
  const dir = join(layerRoot, 'tmp', `idmap-probe-${randomBytes(4).toString('hex')}`);
  const p = (n: string) => join(dir, n);
  try {
    for (const d of ['src', 'lower', 'upper', 'work', 'merged']) await mkdir(p(d), { recursive: true });
    await writeFile(p('src/f'), '');
    idmapMount(p('src'), p('lower'), await usernsFd(map));
    await mountOverlay({ lowerdirs: [p('lower')], upperdir: p('upper'), workdir: p('work'), target: p('merged'), cwd: dir });
    const want = remappedRoot(map).uid;
    const got = (await stat(p('merged/f'))).uid;
    return got === want ? undefined : `an idmapped lower layer shows owner ${got}, not ${want}`;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await unmount(p('merged')).catch(() => {});
    await unmount(p('lower')).catch(() => {});
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}
