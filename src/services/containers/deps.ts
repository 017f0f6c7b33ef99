import type { OciRuntime, ContainerMonitor, AttachChannel } from '../../core/runtime';
import type { ContainerRootfs } from '../../core/snapshots';
import type { ContainerStore } from './container-store';
import type { ContainerRecord } from './types';
import type { NetworkAttacher } from '../../core/network';
import type { PortPublisher } from './ports-publisher';
import type { MountHost, Volume, VolumeRequest } from '../../core/volumes';
import type { EtcHooks } from './etc-hooks';
import type { ContainerCgroups } from './resources';
import type { IdMap } from '../../lib/id-map';

/** The image facts a container needs: its ID and the runtime defaults in its config. */
export interface ImageForContainer {
  id: string;
  config: {
    Env?: string[] | null; Cmd?: string[] | null; Entrypoint?: string[] | null; WorkingDir?: string;
    User?: string; Labels?: Record<string, string> | null; ExposedPorts?: Record<string, object> | null;
    Volumes?: Record<string, object> | null; StopSignal?: string; OnBuild?: string[] | null; Healthcheck?: unknown;
  };
}

export interface ImageLookup {
  /** NotFound `No such image: ref` when there is none. */
  resolveForContainer(ref: string): Promise<ImageForContainer>;
}

export type { ContainerRootfs };

/** What containers need of the volumes service: references at create, mounts while running. */
export interface ContainerVolumes {
  /** Checks a volume request before anything is created (name, driver, options); Docker's errors. */
  check(req: VolumeRequest): void;
  /** The named volume (created when missing) or a new anonymous one, referenced by the container. */
  create(req: VolumeRequest, ref: string): Promise<{ volume: Volume; created: boolean }>;
  /** References an existing volume (`--volumes-from`); NotFound when it is gone. */
  reference(name: string, ref: string): Volume;
  /** Drops the reference; with remove, deletes the volume when nobody else references it. */
  release(name: string, ref: string, opts?: { remove?: boolean }): Promise<void>;
  /** Runs fill with the volume's data dir reachable (copy-up). */
  populate(name: string, fill: (path: string) => Promise<void>): Promise<void>;
  /** Mounts for a starting container and returns the host path; reports `mount`. */
  mount(name: string, ref: string, info: { destination: string; rw: boolean; propagation: string }): Promise<string>;
  /** Idempotent; reports `unmount`. */
  unmount(name: string, ref: string): Promise<void>;
  /** Rebuilds references and mounts from container records at daemon start. */
  restore(users: { containerId: string; names: string[]; running: boolean }[]): void;
}


export interface RuntimePaths {
  dataRoot: string;
  execRoot: string;
}

/** Everything the container operations share. */
export interface ContainerContext {
  store: ContainerStore;
  images: ImageLookup;
  rootfs: ContainerRootfs;
  network: NetworkAttacher;
  /** Published ports; absent: containers publish none (contexts of unit tests). */
  ports?: PortPublisher;
  volumes: ContainerVolumes;
  mountHost: MountHost;
  runtimes: Map<string, OciRuntime>;
  monitor: ContainerMonitor;
  attach: AttachChannel;
  defaultRuntime: string;
  /** Runtimes installed but unable to run containers on this host, with the reason. */
  runtimeRefusals: Map<string, string>;
  /** A static init binary (tini) for `--init`, bind-mounted as /sbin/docker-init as Docker does. */
  initBinary?: string;
  /** The capabilities berthd holds; --privileged grants these. */
  hostCapabilities: string[];
  paths: RuntimePaths;
  /** Rlimits no higher than the daemon's own hard limits. */
  rlimits: { type: string; hard: number; soft: number }[];
  events: (action: string, rec: ContainerRecord, extra?: Record<string, string>) => void;
  /** Embedded DNS, host-gateway and the link firewall, for the /etc files and links. */
  etc?: EtcHooks;
  /** The host's cgroups and running containers' ones; absent: no limits applied live (unit tests). */
  cgroups?: ContainerCgroups;
  /** `--userns-remap`: the user namespace mapping containers get unless `--userns=host`; absent: off. */
  userns?: {
    idMap: IdMap;
    /** Runs use with the path of the user namespace owning the network namespace at netns (undefined: the host's), valid while use runs. */
    withNetnsOwner<T>(netns: string, use: (usernsPath: string | undefined) => Promise<T>): Promise<T>;
  };
}
