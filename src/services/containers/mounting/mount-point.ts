/**
 * A container's mounts as its record keeps them, resolved at create time (Docker's MountPoint):
 * binds, volumes and `--mount type=tmpfs`. `--tmpfs` (HostConfig.Tmpfs) is not among them, as
 * Docker lists it nowhere in Mounts.
 */
import type { VolumeRequest } from '../../../core/volumes';

export type MountType = 'bind' | 'volume' | 'tmpfs';

export interface MountPoint {
  type: MountType;
  /** The volume's name (volumes only). */
  name?: string;
  /** A bind's host path, a volume's mountpoint; '' for tmpfs. */
  source: string;
  /** Absolute and clean. */
  destination: string;
  /** The volume's driver (volumes only). */
  driver?: string;
  /** The mode as Docker reports it: a `-v` spec's options, `z` for named volumes. */
  mode: string;
  rw: boolean;
  /** A bind's propagation (`rprivate` unless given); '' for volumes and tmpfs. */
  propagation: string;
  /** Created without a name for this container (or taken from one that was): `rm -v` removes it. */
  anonymous?: boolean;
  /** A path inside the volume to mount instead of its root (`volume-subpath`). */
  subpath?: string;
  /** tmpfs mount options (`mode=1777`, `size=64m`, `ro`). */
  tmpfsOptions?: string[];
  /** A `-v` bind: its host dir is made at start when missing, as Docker does. */
  createSource?: boolean;
}

/** A mount as parsed from the request, before its volume exists. */
export interface MountRequest extends MountPoint {
  /** Copy the image's content at the destination into a new, empty volume. */
  copyData: boolean;
  /** The volume to create or use (volumes only); no name for an anonymous one. */
  volume?: VolumeRequest;
  /** Taken from another container (`--volumes-from`): the volume exists and is only referenced. */
  inherited?: boolean;
  /** An anonymous volume for a Config.Volumes path: refused over a file in the image. */
  fromConfig?: boolean;
}

/** The Engine API's HostConfig.Mounts entry. */
export interface ApiMount {
  Type?: string;
  Source?: string;
  Target?: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string; NonRecursive?: boolean; CreateMountpoint?: boolean } | null;
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string> | null; DriverConfig?: { Name?: string; Options?: Record<string, string> | null } | null; Subpath?: string } | null;
  TmpfsOptions?: { SizeBytes?: number; Mode?: number; Options?: string[][] } | null;
}
