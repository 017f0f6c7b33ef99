import type { IdMap } from '../../lib/id-map';

/**
 * A container's root filesystem: a writable layer over its image's layers, mounted as overlay.
 */
export interface ContainerRootfs {
  /**
   * Creates the container's writable layer dirs over the image's layers; with `idMap` (a user
   * namespace) the mounted rootfs shows the image's files owned by the mapped IDs and the
   * writable layer belongs to the remapped root. NotFound if the image is unknown.
   */
  create(containerId: string, imageId: string, opts?: { idMap?: IdMap }): Promise<void>;
  /** Mounts the overlay (idempotent: already mounted -> same path) and returns the merged dir path. */
  mount(containerId: string): Promise<string>;
  /** Idempotent; a busy mount is lazily detached. */
  unmount(containerId: string): Promise<void>;
  /** Unmounts and deletes the dirs; idempotent. */
  remove(containerId: string): Promise<void>;
  /** IDs of every container that has a layer. */
  list(): Promise<string[]>;
}
