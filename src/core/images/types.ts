/** Image domain types: the OCI/Docker image config as stored, and berth's image record. */

export interface ContainerConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, object> | null;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[] | null;
  Cmd?: string[] | null;
  Healthcheck?: Record<string, unknown>;
  ArgsEscaped?: boolean;
  Image?: string;
  Volumes?: Record<string, object> | null;
  WorkingDir?: string;
  Entrypoint?: string[] | null;
  OnBuild?: string[] | null;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  StopTimeout?: number;
  Shell?: string[];
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** The image config JSON (docker's image.Image / OCI image config, with docker's extra fields). */
export interface ImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  created?: string;
  author?: string;
  comment?: string;
  docker_version?: string;
  parent?: string;
  container?: string;
  container_config?: ContainerConfig;
  config?: ContainerConfig;
  rootfs: { type: string; diff_ids: string[] };
  history?: HistoryEntry[];
  [key: string]: unknown;
}

/** What berth records per image beside its config (kept in `<dataRoot>/image/meta/<hex>.json`). */
export interface ImageMeta {
  /** ISO time of the last tag operation, as Docker's Metadata.LastTagTime. */
  lastTagTime?: string;
  /** Parent image ID (images made by commit/build on this engine). */
  parent?: string;
  /**
   * Names the image is being given when it is recorded (a commit, import, pull or load). Each
   * tag's own write clears its name; a crash before it leaves them here, and the next start
   * completes them.
   */
  pendingNames?: string[];
  /** ISO time pendingNames were recorded: a name tagged onto another image after it stays there. */
  pendingSince?: string;
}

/** One image: its ID, config and the names pointing at it. */
export interface ImageRecord {
  id: string;
  config: ImageConfig;
  /** Full normalised names (`docker.io/library/busybox:latest`). */
  repoTags: string[];
  /** Full normalised `name@sha256:...` references. */
  repoDigests: string[];
  meta: ImageMeta;
  /** Sum of the sizes of the unpacked layers. */
  size: number;
}
