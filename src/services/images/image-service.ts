import type { Readable, Writable } from 'node:stream';
import { Conflict, isNotFound } from '../../errdefs';
import type { Digest } from '../../lib/digest';
import { familiar, parseReference } from '../../core/images';
import { ImageStore, type StoredImage } from './image-store';
import { resolveImage } from './image-resolve';
import { toHistory, toInspect, type HistoryItem, type ImageInspect, type InspectOptions, type ImageSummary } from './image-dto';
import { addTag, tagName } from './image-tag';
import { removeImage, type DeleteItem, type ImageUser, type RemoveOptions } from './image-remove';
import { importImage, type ImportOptions } from './image-import';
import { fillSharedSizes, listImages, type ListDeps, type ListOptions } from './image-list';
import { pruneImages, type PruneReport } from './image-prune';
import { imagesDiskUsage, type ImagesDiskUsage } from './image-disk-usage';
import { download, type Download } from './url-source';
import { commitImage } from './image-commit';
import type { ContainerConfig } from '../../core/images';
import { loadImages } from './image-load';
import { saveImages } from './image-save';
import { busyboxRootfsTar } from './busybox';
import type { ContainerRootfs } from './container-rootfs';

export interface ImageServiceOptions {
  dataRoot: string;
  /** The containers whose image is imageId. */
  imageUsers: (imageId: string) => ImageUser[];
  /** Publishes an image event (Docker's Type "image"): action, Actor.ID (the image ID), attributes. */
  events?: (action: string, id: string, attributes: Record<string, string>) => void;
}

export interface CommitRequest {
  containerId: string;
  containerConfig: ContainerConfig;
  config?: ContainerConfig;
  /** Container paths left out of the layer (`/etc/hosts`, bind mount points). */
  exclude?: ReadonlySet<string>;
  repo?: string;
  tag?: string;
  comment?: string;
  author?: string;
  changes?: string[];
}

/** The images use cases behind `/images/*`; also gives containers their rootfs. */
export class ImageService {
  readonly store: ImageStore;
  readonly rootfs: ContainerRootfs;

  constructor(private readonly opts: ImageServiceOptions) {
    this.store = new ImageStore(opts.dataRoot);
    const containers = this.store.containers;
    this.rootfs = {
      create: async (containerId, imageId, opts) => {
        const img = this.resolve(imageId);
        await containers.create(containerId, img.id, this.store.topChain(img), opts?.idMap);
      },
      mount: (containerId) => containers.mount(containerId),
      unmount: (containerId) => containers.unmount(containerId),
      remove: async (containerId) => {
        let imageId: string | undefined;
        try { imageId = (await containers.record(containerId)).imageId; } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        await containers.remove(containerId);
        // the image may have been force-removed while this container kept its layers
        if (imageId && !this.store.images.has(imageId as Digest)) await this.exclusive(() => this.store.collectGarbage());
      },
      list: () => containers.list(),
    };
  }

  private lock: Promise<unknown> = Promise.resolve();

  /** Runs fn after every earlier removal finished (removals and GC never interleave). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  async init(): Promise<void> {
    await this.store.init();
  }

  /** NotFound `No such image: <ref>`. */
  resolve(ref: string): StoredImage {
    return resolveImage(this.store, ref);
  }

  private get listDeps(): ListDeps {
    return { store: this.store, resolve: (ref) => this.resolve(ref), users: (id) => this.opts.imageUsers(id) };
  }

  /** `GET /images/json`; see listImages for the filters and their errors. */
  list(opts: ListOptions = {}): ImageSummary[] {
    return listImages(this.listDeps, opts);
  }

  /** Sets SharedSize on listed summaries (`GET /images/json?shared-size=1`). */
  fillSharedSizes(summaries: ImageSummary[]): Promise<void> {
    return fillSharedSizes(this.store, summaries);
  }

  /** The images part of `GET /system/df`. */
  diskUsage(opts: { virtualSize?: boolean } = {}): Promise<ImagesDiskUsage> {
    return imagesDiskUsage(this.listDeps, opts);
  }

  inspect(ref: string, opts: InspectOptions = {}): Promise<ImageInspect> {
    return toInspect(this.store, this.resolve(ref), opts);
  }

  history(ref: string): Promise<HistoryItem[]> {
    return toHistory(this.store, this.resolve(ref));
  }

  /**
   * Docker's LogImageEventWithAttributes: the image's labels (while it exists), then `name`
   * (the reference for tag, the image ID for the other actions).
   */
  private emit(action: string, id: string, name: string, labels?: Record<string, string>): void {
    if (!this.opts.events) return;
    const have = labels ?? this.store.images.get(id as Digest)?.config.config?.Labels ?? undefined;
    this.opts.events(action, id, { ...(have ?? {}), name });
  }

  /** Tags ref's image as repo[:tag] (tag defaults to latest). */
  async tag(ref: string, repo: string, tag?: string): Promise<void> {
    const img = this.resolve(ref);
    const name = tagName(repo, tag);
    await addTag(this.store, img, name);
    this.emit('tag', img.id, familiar(name));
  }

  /** `rmi`: see removeImage; untag and delete events go out as each name and image goes. */
  remove(ref: string, opts: RemoveOptions = {}): Promise<DeleteItem[]> {
    return this.exclusive(() => removeImage({
      store: this.store,
      users: (id) => this.opts.imageUsers(id),
      // moby logs untag with the image's labels, delete once the image (and its labels) is gone
      logEvent: (action, id) => this.emit(action, id, id),
    }, ref, opts));
  }

  private pruning = false;

  /**
   * `POST /images/prune` (see pruneImages), then Docker's `prune` event (no Actor.ID, the
   * bytes reclaimed). Conflict while another prune runs.
   */
  async prune(filters: Map<string, string[]>): Promise<PruneReport> {
    if (this.pruning) throw new Conflict('a prune operation is already running');
    this.pruning = true;
    try {
      const report = await pruneImages({ store: this.store, remove: (ref) => this.remove(ref) }, filters);
      this.opts.events?.('prune', '', { reclaimed: String(report.SpaceReclaimed) });
      return report;
    } finally {
      this.pruning = false;
    }
  }

  /** `import <URL>`: starts the download; errors (unreachable, 404, ...) are thrown before any byte. */
  download(src: string, signal?: AbortSignal): Promise<Download> {
    return download(src, signal);
  }

  /** `docker import`; returns the new image ID. */
  async importTar(stream: Readable, opts: ImportOptions = {}): Promise<string> {
    const id = (await this.store.ingest(() => importImage(this.store, stream, opts))).id;
    // moby's ImportImage: TagImage (a tag event) then the import event
    if (opts.repo) this.emit('tag', id, familiar(tagName(opts.repo, opts.tag)));
    this.emit('import', id, id);
    return id;
  }

  /**
   * `docker commit`: the container's upperdir (less `exclude`, the runtime's mount points)
   * becomes a layer over its image; returns the new image ID. NotFound if the container has
   * no rootfs or its image is gone; InvalidArgument for a bad repo/tag or change.
   */
  async commit(opts: CommitRequest): Promise<string> {
    const rec = await this.store.containers.record(opts.containerId);
    const parent = this.resolve(rec.imageId);
    const id = (await this.store.ingest(() => commitImage(this.store, {
      ...opts,
      parent,
      parentChainId: rec.chainId,
      layer: this.store.containers.diffTar(opts.containerId, { exclude: opts.exclude }),
    }))).id;
    // moby's TagImageWithReference logs the tag; the container's `commit` event is the caller's
    if (opts.repo) this.emit('tag', id, familiar(tagName(opts.repo, opts.tag)));
    return id;
  }

  load(stream: Readable): Promise<string[]> {
    return this.store.ingest(() => loadImages(this.store, stream, (id) => this.emit('load', id, id)));
  }

  async save(refs: string[], out: Writable): Promise<void> {
    await saveImages(this.store, refs, out);
    for (const id of new Set(refs.map((r) => this.resolve(r).id))) this.emit('save', id, id);
  }

  /** Makes `busybox:latest` from the host's busybox-static unless it exists; returns its ID. */
  async ensureBusybox(): Promise<string> {
    try {
      return this.resolve('busybox:latest').id;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return this.importTar(await busyboxRootfsTar(), { repo: 'busybox', tag: 'latest', changes: ['CMD ["sh"]'] });
  }

  /** The familiar names of an image (`busybox:latest`), for events and messages. */
  namesOf(imageId: string): string[] {
    return this.store.refs.referencesOf(imageId).filter((r) => parseReference(r).tag).map(familiar);
  }
}
