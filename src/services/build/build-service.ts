/**
 * The build use case behind `POST /build`: `prepare` takes the context and parses the
 * Dockerfile (its failures are the request's error), `run` executes it, streaming Docker's
 * legacy builder output, then tags the image. Every build runs inside an image-store ingest,
 * so the layers and intermediate images it makes are never collected half-way.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { parseDockerfile, type Dockerfile } from '../../builder/dockerfile';
import { executeBuild, shortId, type BuildOutput } from '../../builder/executor';
import { familiar } from '../../core/images';
import { log } from '../../lib/logger';
import { tagName, type ImageService } from '../images';
import type { ContainerService } from '../containers';
import { BuildCacheStore } from './cache-store';
import { CacheMounts } from './cache-mounts';
import { buildBackend } from './build-backend';
import { BuildContext, DEFAULT_DOCKERFILE, readDockerfile, removeIgnoredBuildFiles } from './build-context';
import { safeRelPath } from '../../lib/tar';
import { pruneBuildCache, buildCacheUsage, type BuildCachePruneOptions, type BuildCachePruneReport, type BuildCacheItem } from './build-cache-usage';

export interface BuildOptions {
  /** `-t`: names to tag the image with. */
  tags: string[];
  /** The Dockerfile's path in the context (default `Dockerfile`). */
  dockerfile?: string;
  buildArgs: Map<string, string | null>;
  target?: string;
  noCache: boolean;
  /** `--pull`: berth has no registry client yet, so local images are used. */
  pull: boolean;
  labels: Record<string, string>;
  networkMode?: string;
  extraHosts: string[];
  platform?: string;
  /** rm / forcerm: remove step containers. */
  remove: boolean;
  cacheFrom: string[];
}

/** A build whose context is unpacked and whose Dockerfile parsed; run or dispose it. */
export interface PreparedBuild {
  readonly options: BuildOptions;
  readonly dockerfile: Dockerfile;
  readonly dockerfileName: string;
  readonly dockerfileText: string;
  readonly dir: string;
  readonly context: BuildContext;
  /** Full names the image gets (validated before the build). */
  readonly names: string[];
}

export interface BuildServiceOptions {
  dataRoot: string;
  images: ImageService;
  containers: ContainerService;
}

export class BuildService {
  readonly cache: BuildCacheStore;
  readonly cacheMounts: CacheMounts;
  private readonly root: string;

  constructor(private readonly opts: BuildServiceOptions) {
    this.root = join(opts.dataRoot, 'builder');
    this.cache = new BuildCacheStore(this.root, (id) => opts.images.store.images.has(id as never));
    this.cacheMounts = new CacheMounts(join(this.root, 'cache-mounts'));
  }

  /** Loads the cache index and removes what builds interrupted by a crash left. */
  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await rm(join(this.root, 'tmp'), { recursive: true, force: true });
    await this.cache.load();
  }

  /**
   * Unpacks the context and parses its Dockerfile. InvalidArgument for a bad tag, a bad
   * context or a Dockerfile that does not parse (with its line); NotFound for a missing one.
   */
  async prepare(body: Readable, options: BuildOptions): Promise<PreparedBuild> {
    const names = options.tags.map((t) => tagName(t));
    const dir = join(this.root, 'tmp', randomBytes(8).toString('hex'));
    try {
      await mkdir(join(dir, 'scratch'), { recursive: true });
      const requested = options.dockerfile || DEFAULT_DOCKERFILE;
      const context = await BuildContext.receive(body, dir, requested, [safeRelPath(requested), 'dockerfile', '.dockerignore']);
      const { name, text } = await readDockerfile(context, requested);
      const dockerfile = parseDockerfile(text);
      await removeIgnoredBuildFiles(context, name);
      return { options, dockerfile, dockerfileName: name, dockerfileText: text, dir, context, names };
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Removes a prepared build's files (after run, or instead of it). */
  async dispose(b: PreparedBuild): Promise<void> {
    await rm(b.dir, { recursive: true, force: true }).catch((e) => log.warn('build dir removal failed', { dir: b.dir, error: String(e) }));
  }

  /**
   * Runs a prepared build; output goes to `out` as it happens. Resolves with the image ID
   * after `Successfully built` and the tags; a failure is thrown after its output (the
   * image is then not tagged).
   */
  async run(b: PreparedBuild, out: BuildOutput, signal?: AbortSignal): Promise<string> {
    const { images, containers } = this.opts;
    const o = b.options;
    const { imageId } = await images.store.ingest(() => executeBuild({
      dockerfile: b.dockerfile, dockerfileText: b.dockerfileText, dockerfileName: b.dockerfileName,
      context: b.context, scratchDir: join(b.dir, 'scratch'),
      buildArgs: o.buildArgs, target: o.target, noCache: o.noCache, labels: o.labels,
      networkMode: o.networkMode, extraHosts: o.extraHosts, platform: o.platform,
      removeContainers: o.remove, cacheFrom: o.cacheFrom, signal,
    }, { backend: buildBackend({ images, containers, cacheMounts: this.cacheMounts }), cache: this.cache, output: out })
      .finally(() => this.cache.save().catch((e) => log.warn('build cache index not saved', { error: String(e) }))));
    out.stream(`Successfully built ${shortId(imageId)}\n`);
    for (const name of b.names) {
      await images.tag(imageId, name);
      out.stream(`Successfully tagged ${familiar(name)}\n`);
    }
    return imageId;
  }

  /** The build cache part of `GET /system/df`. */
  usage(): Promise<BuildCacheItem[]> {
    return buildCacheUsage(this.deps());
  }

  /** `POST /build/prune`. */
  async prune(opts: BuildCachePruneOptions): Promise<BuildCachePruneReport> {
    const report = await pruneBuildCache(this.deps(), opts);
    await this.cache.save();
    return report;
  }

  private deps() {
    const { images, containers } = this.opts;
    return { cache: this.cache, mounts: this.cacheMounts, images, containerImages: () => containers.list().map((c) => c.imageId) };
  }
}
