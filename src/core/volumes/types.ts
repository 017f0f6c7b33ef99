/**
 * Vocabulary: a *volume* is a named store of data that outlives containers, kept by a *driver*
 * (berth has `local`). A container *references* a volume while its record names it (created,
 * running or stopped) and *mounts* it while it runs. An *anonymous* volume is one created
 * without a name (a 64-hex ID), labelled `com.docker.volume.anonymous` as Docker 23+ does.
 */

/** Docker's label on volumes created without a name. */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

/** The driver berth provides, and the default. */
export const DEFAULT_VOLUME_DRIVER = 'local';

/** A volume as it is stored: what `volume inspect` shows, less what the driver computes. */
export interface VolumeRecord {
  name: string;
  driver: string;
  /** RFC 3339, to the second, as Docker prints it. */
  createdAt: string;
  /** null when none were given (Docker's `"Labels": null`). */
  labels: Record<string, string> | null;
  /** The driver options (`-o`), null when none were given. */
  options: Record<string, string> | null;
}

/** A stored volume and where its data is on the host. */
export interface Volume extends VolumeRecord {
  mountpoint: string;
  scope: 'local';
}

/**
 * A request for a volume: by name (created when missing) or without one (a new anonymous
 * volume). `anonymous` with a name: an anonymous volume whose ID the caller chose beforehand.
 */
export interface VolumeRequest {
  name?: string;
  anonymous?: boolean;
  /** '' or undefined: the default driver. */
  driver?: string;
  options?: Record<string, string> | null;
  labels?: Record<string, string> | null;
}

/**
 * Keeps volumes and their records (contract of the volume-local plugin). Each operation names
 * one volume; names are valid (`validateVolumeName`) by the time they get here.
 */
export interface VolumeDriver {
  readonly name: string;
  /** Checks driver options before anything is created; InvalidArgument in Docker's words. */
  validateOptions(options: Record<string, string> | null): void;
  /** Creates the volume's storage and record. AlreadyExists when the name is taken. */
  create(record: VolumeRecord): Promise<Volume>;
  /** Every stored volume (read at daemon start). */
  list(): Promise<Volume[]>;
  /** Deletes storage and record; a missing volume is not an error. */
  remove(name: string): Promise<void>;
  /**
   * Makes the data reachable at the mountpoint (mounting the device its options name) and
   * returns the path. Idempotent: the caller counts users and calls it for the first.
   */
  mount(volume: Volume): Promise<string>;
  /** Undoes mount (idempotent); called when the last user goes. */
  unmount(volume: Volume): Promise<void>;
  /** Bytes of the volume's data, as Docker's UsageData.Size counts them. */
  size(volume: Volume): Promise<number>;
}

/** The host filesystem operations container mounts need (sys/ implements them). */
export interface MountHost {
  /** Copies a directory's content into another, owners, modes and links kept (copy-up). */
  copyTree(src: string, dst: string): Promise<void>;
  /** The mount that holds path, and whether it is shared or a slave (bind propagation needs one). */
  propagationOf(path: string): Promise<{ mountpoint: string; shared: boolean; slave: boolean }>;
  /** Mounts a tmpfs named source on target, nosuid, nodev and noexec, with data (`mode=1777,size=N`). */
  mountTmpfs(source: string, target: string, data: string): Promise<void>;
  /** Unmounts target (lazily); not mounted is fine. */
  unmount(target: string): Promise<void>;
}
