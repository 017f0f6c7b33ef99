/**
 * Start-up recovery of the image store: image records that cannot be read (quarantined),
 * images whose config or layers a crash left incomplete (rolled back), names a crash kept
 * from being given (completed), names of images that are gone (dropped), and the layers and blobs of a pull, load, commit or build that never recorded
 * its image (rolled back by garbage collection).
 */
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { chainIds, type ImageConfig, type ImageMeta } from '../../core/images';
import type { Digest } from '../../lib/digest';
import { isAtomicTemp, readJson } from '../../lib/atomic-file';
import { noteRecovery, quarantine } from '../../lib/recovery-log';
import { hasErrno, isNotFound } from '../../errdefs';

interface Img { id: Digest; config: ImageConfig; meta: ImageMeta; size: number }

/** What recovery uses of the image store (ImageStore), kept narrow so neither imports the other. */
export interface RecoverableImageStore {
  readonly dataRoot: string;
  readonly images: Map<Digest, Img>;
  readonly blobs: { path(digest: string): string };
  readonly refs: { all(): Array<[string, string]>; get(ref: string): string | undefined; set(ref: string, id: string): Promise<void>; delete(ref: string): Promise<boolean> };
  readonly layers: {
    readonly root: string;
    get(chainId: string): Promise<{ link: string; size: number; diffDir: string }>;
    lowerOf(chainId: string): Promise<string[]>;
    list(): Promise<string[]>;
    remove(chainId: string): Promise<void>;
  };
  readonly containers: { list(): Promise<string[]>; record(id: string): Promise<{ imageId: string }> };
  sizeOf(config: ImageConfig): Promise<number>;
  delete(id: Digest): Promise<string[]>;
  saveMeta(img: Img): Promise<void>;
  collectGarbage(): Promise<string[]>;
}

const exists = (p: string) => stat(p).then(() => true, (e) => { if (hasErrno(e, 'ENOENT')) return false; throw e; });

/**
 * Whether the layer of chainId is whole: its metadata readable and every dir of its
 * `lower` list present (a machine crash may cut files that were never synced).
 */
async function layerWhole(store: RecoverableImageStore, chainId: string): Promise<boolean> {
  try {
    const info = await store.layers.get(chainId);
    if (!info.link || !Number.isFinite(info.size) || !(await exists(info.diffDir))) return false;
    const lower = await store.layers.lowerOf(chainId);
    if (!lower.length || lower[0] !== `l/${info.link}`) return false;
    for (const l of lower) if (!(await exists(join(store.layers.root, l)))) return false;
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/** Reads one image record; undefined (with the record moved aside or dropped) when it cannot stand. */
async function readImage(store: RecoverableImageStore, dbDir: string, file: string, id: Digest): Promise<Img | undefined> {
  const path = join(dbDir, file);
  let meta: ImageMeta;
  let config: ImageConfig;
  try {
    meta = await readJson<ImageMeta>(path);
    if (!meta || typeof meta !== 'object') throw new SyntaxError('not an object');
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    noteRecovery('quarantined', `unreadable record of image ${id}`, { movedTo: await quarantine(path, join(store.dataRoot, 'quarantine', 'images')) });
    return undefined;
  }
  try {
    config = JSON.parse(await readFile(store.blobs.path(id), 'utf8')) as ImageConfig;
  } catch (e) {
    if (!hasErrno(e, 'ENOENT') && !(e instanceof SyntaxError)) throw e;
    await rm(path, { force: true });
    noteRecovery('rolled back', `half-made image ${id} (its config blob is missing or cut short)`);
    return undefined;
  }
  for (const c of chainIds(config.rootfs?.diff_ids ?? [])) {
    if (await layerWhole(store, c)) continue;
    await rm(path, { force: true });
    noteRecovery('rolled back', `half-made image ${id} (layer ${c} is missing or incomplete)`);
    return undefined;
  }
  return { id, config, meta, size: await store.sizeOf(config) };
}

/** The marker of an image removal under way: `<dbDir>/<hex>.removing` (ImageStore.markRemoval). */
export const REMOVING = '.removing';

/**
 * An rmi cut short: an image left without tags that nothing uses (no child image, no
 * container) was on its way out (its digest names go after its tags), and goes with its
 * digest names; one that still has a tag or a user stays, as the removal would have left it.
 */
async function completeRemovals(store: RecoverableImageStore, dbDir: string): Promise<void> {
  const users = new Set<string>();
  for (const c of await store.containers.list()) {
    const rec = await store.containers.record(c).catch((e) => { if (isNotFound(e)) return undefined; throw e; });
    if (rec) users.add(rec.imageId);
  }
  for (const name of await readdir(dbDir)) {
    if (!name.endsWith(REMOVING)) continue;
    const id = `sha256:${name.slice(0, -REMOVING.length)}` as Digest;
    const names = store.refs.all().filter(([, v]) => v === id).map(([k]) => k);
    const child = [...store.images.values()].some((i) => i.meta.parent === id);
    if (store.images.has(id) && names.every((n) => n.includes('@')) && !child && !users.has(id)) {
      for (const n of names) await store.refs.delete(n);
      await store.delete(id);
      noteRecovery('completed', `removal of image ${id}`);
    }
    await rm(join(dbDir, name), { force: true });
  }
}

/** Loads the image records of dbDir into store.images; a record that cannot stand never stops it. */
export async function loadImages(store: RecoverableImageStore, dbDir: string): Promise<void> {
  for (const name of await readdir(dbDir)) {
    if (isAtomicTemp(name)) { await rm(join(dbDir, name), { force: true }); continue; }
    const m = /^([a-f0-9]{64})\.json$/.exec(name);
    if (!m) continue;
    const id = `sha256:${m[1]}` as Digest;
    const img = await readImage(store, dbDir, name, id);
    if (img) store.images.set(id, img);
  }
}

/**
 * After the records are loaded: names of images that are gone are dropped, and what no
 * image or container needs (layers and blobs of an ingest cut short, or of an image rolled
 * back) is removed.
 */
export async function recoverImageStore(store: RecoverableImageStore, dbDir: string): Promise<void> {
  for (const img of store.images.values()) {
    if (!img.meta.pendingNames) continue;
    for (const name of img.meta.pendingNames) {
      const holder = store.refs.get(name);
      if (holder === img.id) continue;
      // a name given to another image since this one was made stays where it is
      const since = store.images.get(holder as Digest)?.meta.lastTagTime;
      const recorded = img.meta.pendingSince ?? (typeof img.config.created === 'string' ? img.config.created : undefined);
      if (since && recorded && since > recorded) continue;
      await store.refs.set(name, img.id);
      noteRecovery('completed', `name ${name} of image ${img.id}`);
    }
    delete img.meta.pendingNames;
    delete img.meta.pendingSince;
    await store.saveMeta(img);
  }
  await completeRemovals(store, dbDir);
  for (const [ref, id] of store.refs.all()) {
    if (store.images.has(id as Digest)) continue;
    await store.refs.delete(ref);
    noteRecovery('rolled back', `name ${ref} of missing image ${id}`);
  }
  const all = await store.layers.list();
  const broken: string[] = [];
  for (const c of all) if (!(await layerWhole(store, c))) broken.push(c);
  for (const c of broken) await store.layers.remove(c);
  // a short link made for a layer whose rename into place never happened
  const links = join(store.layers.root, 'l');
  for (const l of await readdir(links)) if (!(await exists(join(links, l)))) await rm(join(links, l), { force: true });
  const freed = await store.collectGarbage();
  if (freed.length || broken.length) {
    noteRecovery('rolled back', `${freed.length + broken.length} layers no image or container uses (a pull, load, commit or build cut short)`, { layers: [...broken, ...freed] });
  }
}
