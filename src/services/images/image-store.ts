import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { hexOf, type Digest } from '../../lib/digest';
import { nodeAtomicFs, writeFileAtomic, writeJsonAtomic, type AtomicFs } from '../../lib/atomic-file';
import { loadImages, recoverImageStore, REMOVING } from './recover-images';
import { chainIdOf, chainIds, imageIdOf, type ImageConfig, type ImageMeta } from '../../core/images';
import { LocalBlobStore, ReferenceStore } from '../../plugins/content-local';
import { OverlayContainerLayers, OverlayLayerStore } from '../../plugins/snapshotter-overlay';

export interface StoredImage {
  id: Digest;
  config: ImageConfig;
  meta: ImageMeta;
  /** Sum of the image's layer sizes. */
  size: number;
}

/**
 * The image records of one data root: configs in the blob store, one
 * `<dataRoot>/image/imagedb/<hex>.json` (ImageMeta) per image, names in repositories.json,
 * layers in the overlay layer store. Loaded into memory at init.
 */
export class ImageStore {
  readonly blobs: LocalBlobStore;
  readonly refs: ReferenceStore;
  readonly layers: OverlayLayerStore;
  readonly containers: OverlayContainerLayers;
  readonly images = new Map<Digest, StoredImage>();
  private readonly dbDir: string;
  private readonly fs: AtomicFs;

  /** opts.fs: the file operations of records, names and configs (a test cuts them to model a crash). */
  constructor(readonly dataRoot: string, opts: { fs?: AtomicFs } = {}) {
    const imageRoot = join(dataRoot, 'image');
    this.fs = opts.fs ?? nodeAtomicFs;
    this.blobs = new LocalBlobStore(imageRoot, this.fs);
    this.refs = new ReferenceStore(imageRoot, this.fs);
    this.layers = new OverlayLayerStore(join(dataRoot, 'overlay'));
    this.containers = new OverlayContainerLayers(this.layers);
    this.dbDir = join(imageRoot, 'imagedb');
  }

  async init(): Promise<void> {
    await this.blobs.init();
    await this.refs.init();
    await this.layers.init();
    await mkdir(this.dbDir, { recursive: true });
    await loadImages(this, this.dbDir);
    await recoverImageStore(this, this.dbDir);
  }

  async sizeOf(config: ImageConfig): Promise<number> {
    let size = 0;
    for (const c of chainIds(config.rootfs?.diff_ids ?? [])) {
      if (await this.layers.has(c)) size += (await this.layers.get(c)).size;
    }
    return size;
  }

  topChain(img: StoredImage): string | undefined {
    return chainIdOf(img.config.rootfs?.diff_ids ?? []);
  }

  /**
   * Records an image whose layers are already in the layer store and whose layer tars are
   * blobs. configBytes are stored as is: the image ID is their digest. names: what the caller
   * tags it as next (addTag); recorded with it, so a crash in between is completed at start.
   */
  async add(configBytes: Buffer, meta: ImageMeta = {}, names: (string | undefined)[] = []): Promise<StoredImage> {
    const id = imageIdOf(configBytes);
    const existing = this.images.get(id);
    if (existing) return existing;
    await this.blobs.put(configBytes);
    const config = JSON.parse(configBytes.toString('utf8')) as ImageConfig;
    const pending = names.filter((n): n is string => !!n);
    if (pending.length) meta = { ...meta, pendingNames: pending, pendingSince: new Date().toISOString() };
    await writeJsonAtomic(join(this.dbDir, `${hexOf(id)}.json`), meta, this.fs);
    const img: StoredImage = { id, config, meta, size: await this.sizeOf(config) };
    this.images.set(id, img);
    return img;
  }

  /** Records that image id is being removed (recover-images completes a removal a crash cut short). */
  markRemoval(id: Digest): Promise<void> {
    return writeFileAtomic(join(this.dbDir, `${hexOf(id)}${REMOVING}`), '', { fs: this.fs });
  }

  async clearRemoval(id: Digest): Promise<void> {
    await rm(join(this.dbDir, `${hexOf(id)}${REMOVING}`), { force: true });
  }

  async saveMeta(img: StoredImage): Promise<void> {
    await writeJsonAtomic(join(this.dbDir, `${hexOf(img.id)}.json`), img.meta, this.fs);
  }

  /** Forgets an image record (names must be gone already); returns the chain IDs freed on disk. */
  async delete(id: Digest): Promise<string[]> {
    const img = this.images.get(id);
    if (!img) return [];
    this.images.delete(id);
    await rm(join(this.dbDir, `${hexOf(id)}.json`), { force: true });
    return this.collectGarbage();
  }

  private ingests = 0;
  /** Ingests started so far: a GC whose view of what is live predates one must not act on it. */
  private ingestsStarted = 0;
  private gcDeferred = false;

  /**
   * Runs a load/import. Its layers are not garbage though no image names them yet, so GC
   * waits until no ingest is running, then runs once.
   */
  async ingest<T>(fn: () => Promise<T>): Promise<T> {
    this.ingests++;
    this.ingestsStarted++;
    try {
      return await fn();
    } finally {
      this.ingests--;
      if (this.ingests === 0 && this.gcDeferred) {
        this.gcDeferred = false;
        await this.collectGarbage();
      }
    }
  }

  /**
   * Removes layers, layer tars and configs no image or container needs any more; returns the
   * chain IDs freed (none while an ingest runs: GC is then deferred to its end).
   */
  async collectGarbage(): Promise<string[]> {
    const started = this.ingestsStarted;
    // an ingest that began after the live sets were taken (even one already done) may own what they miss
    const stale = () => this.ingests > 0 || this.ingestsStarted !== started;
    // deferred to the running ingest's end, or, when it has ended already, started over
    const retry = async (freed: string[]) => {
      if (this.ingests > 0) { this.gcDeferred = true; return freed; }
      return [...freed, ...(await this.collectGarbage())];
    };
    if (this.ingests > 0) {
      this.gcDeferred = true;
      return [];
    }
    const liveChains = await this.containers.chainsInUse();
    const liveBlobs = new Set<string>();
    for (const img of this.images.values()) {
      liveBlobs.add(img.id);
      for (const d of img.config.rootfs?.diff_ids ?? []) liveBlobs.add(d);
      for (const c of chainIds(img.config.rootfs?.diff_ids ?? [])) liveChains.add(c);
    }
    // a container's chain keeps every layer below it too
    for (const c of [...liveChains]) {
      for (let p: string | undefined = c; p && (await this.layers.has(p)); p = (await this.layers.get(p)).parent) liveChains.add(p);
    }
    const freed: string[] = [];
    for (const c of await this.layers.list()) {
      if (liveChains.has(c)) continue;
      if (stale()) return retry(freed); // a new ingest may own c
      await this.layers.remove(c);
      freed.push(c);
    }
    for (const b of await this.blobs.list()) {
      if (liveBlobs.has(b)) continue;
      if (stale()) return retry(freed);
      await this.blobs.delete(b);
    }
    return freed;
  }
}
