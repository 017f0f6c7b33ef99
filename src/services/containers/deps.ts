import type { OciRuntime, ContainerMonitor, AttachChannel } from '../../core/runtime';
import type { ContainerRootfs } from '../../core/snapshots';
import type { ContainerStore } from './container-store';
import type { ContainerRecord } from './types';
import type { NetworkAttacher } from '../../core/network';
import type { EtcHooks } from './etc-setup';

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
}
