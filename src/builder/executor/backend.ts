/**
 * What the executor needs from the engine, as narrow contracts the daemon wiring implements
 * over the image and container services. Vocabulary: an image `id` is `sha256:<hex>`; a
 * layer is committed over the chain of the image it was opened on.
 */
import type { ContainerConfig, ImageConfig } from '../../core/images';

/** An image a stage starts from or copies out of. */
export interface BuildImage {
  id: string;
  config: ImageConfig;
}

/** A layer stored in the layer store: the changes of one step. */
export interface CommittedLayer {
  diffId: string;
  chainId: string;
  /** Bytes as Docker counts a layer (regular files and symlink targets). */
  size: number;
}

/** A writable root filesystem over an image, mounted at `root` (COPY, ADD, WORKDIR, COPY --from sources). */
export interface RwLayer {
  readonly root: string;
  /** Unmounts and stores the changes as a layer over the image's chain; undefined when nothing changed. */
  commit(): Promise<CommittedLayer | undefined>;
  /** Unmounts and drops what was not committed; safe to call twice and after commit. */
  release(): Promise<void>;
}

/** A mount of a RUN container, with its host side already resolved. */
export interface RunMountSpec {
  type: 'bind' | 'tmpfs';
  /** Host path for bind mounts. */
  source?: string;
  target: string;
  readOnly: boolean;
  /** tmpfs size in bytes. */
  size?: number;
}

export interface RunSpec {
  imageId: string;
  /** The container's Config: Cmd, Env, WorkingDir, User; Entrypoint `[""]`, Healthcheck NONE. */
  config: ContainerConfig;
  /** `default`, `none`, `host`, or a network name; undefined is the engine's default. */
  networkMode?: string;
  /** `host:ip` lines for /etc/hosts. */
  extraHosts: string[];
  mounts: RunMountSpec[];
  /** Called with the container's ID once it exists, before it starts. */
  onCreated(id: string): void;
  /** The process's output, as it comes. */
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
  /** Aborting kills the process; run then resolves with its exit code as usual. */
  signal?: AbortSignal;
}

/** A step's container after its process ended. */
export interface RunOutcome {
  containerId: string;
  exitCode: number;
  /** The container's changes (mount points left out) as a layer over its image's chain; undefined when none. */
  commit(): Promise<CommittedLayer | undefined>;
  /** Removes the container (and its uncommitted layer). */
  remove(): Promise<void>;
}

/** A RUN --mount=type=cache directory, held until release. */
export interface CacheMountLease {
  path: string;
  release(): void;
}

export interface BuildBackend {
  /** A local image by reference or ID; throws errdefs NotFound (`No such image: <ref>`) otherwise. */
  image(ref: string): BuildImage;
  /** The images `refs` name (those that exist) and all their parents, for `--cache-from`. */
  lineage(refs: readonly string[]): Array<BuildImage & { parent?: string }>;
  /** Records an image config whose layers are all in the layer store; returns the image ID. */
  createImage(config: ImageConfig, parent?: string): Promise<string>;
  /** A writable rootfs over imageId (undefined: an empty one). */
  openLayer(imageId: string | undefined): Promise<RwLayer>;
  /** Creates, starts and waits for a step's container. */
  run(spec: RunSpec): Promise<RunOutcome>;
  /**
   * The persistent directory of cache mount `id` (created with mode/uid/gid when new).
   * `locked` sharing waits for other holders; `private` gets a directory of its own while
   * the shared one is held.
   */
  cacheMount(id: string, opts: { sharing: 'shared' | 'private' | 'locked'; mode: number; uid: number; gid: number }): Promise<CacheMountLease>;
  /** The engine's platform: new images from scratch get it. */
  readonly platform: { os: string; architecture: string; variant?: string };
}

/** The build cache: a step's key (see cache-key.ts) to the image it produced. */
export interface BuildCache {
  get(key: string): string | undefined;
  set(key: string, entry: { image: string; description: string; size: number }): void;
}
