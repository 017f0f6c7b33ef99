/**
 * A container as berthd records it. `config` and `hostConfig` keep the Engine API's own
 * shapes (Config / HostConfig), since they are the container's specification as the user gave
 * it, merged with the image's defaults at create time.
 */
import type { IdMap } from '../../lib/id-map';

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerState {
  status: ContainerStatus;
  pid: number;
  exitCode: number;
  error: string;
  oomKilled: boolean;
  startedAt: string;
  finishedAt: string;
}

export interface ContainerConfig {
  Hostname: string;
  Domainname: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  ExposedPorts?: Record<string, object>;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Env: string[];
  Cmd: string[] | null;
  Image: string;
  Volumes: Record<string, object> | null;
  WorkingDir: string;
  Entrypoint: string[] | null;
  OnBuild: string[] | null;
  Labels: Record<string, string>;
  StopSignal?: string;
  StopTimeout?: number;
  Healthcheck?: unknown;
}

export interface RestartPolicy { Name: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure'; MaximumRetryCount: number }

export interface HostConfig {
  Binds: string[] | null;
  NetworkMode: string;
  PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
  RestartPolicy: RestartPolicy;
  AutoRemove: boolean;
  Privileged: boolean;
  ReadonlyRootfs: boolean;
  CapAdd: string[] | null;
  CapDrop: string[] | null;
  Dns: string[];
  DnsOptions: string[];
  DnsSearch: string[];
  ExtraHosts: string[] | null;
  Init: boolean | null;
  Runtime: string;
  ShmSize: number;
  [key: string]: unknown;
}

export type { Endpoint as NetworkEndpoint, SandboxRef } from '../../core/network';
import type { EndpointConfig, SandboxRef } from '../../core/network';
import type { PortMapping } from '../../core/network/ports';
import type { HealthState } from './health/state';
import type { MountPoint } from './mounting/mount-point';

/** The network mode a container runs with: Docker's "default" (or none given) is the bridge. */
export function effectiveNetworkMode(hc: Pick<HostConfig, 'NetworkMode'>): string {
  return !hc.NetworkMode || hc.NetworkMode === 'default' ? 'bridge' : hc.NetworkMode;
}

export interface ContainerRecord {
  id: string;
  /** Without the leading slash. */
  name: string;
  created: string;
  imageId: string;
  path: string;
  args: string[];
  config: ContainerConfig;
  hostConfig: HostConfig;
  state: ContainerState;
  restartCount: number;
  /** Set by `berth stop`/`kill` so that restart policies (but `always`) leave it stopped. */
  manuallyStopped: boolean;
  runtime: string;
  /** Its binds, volumes and `--mount` tmpfs, resolved at create (absent in older records: binds only). */
  mounts?: MountPoint[];
  /** The networks it is connected to, by name, with the user's settings (absent in older records). */
  networks?: Record<string, EndpointConfig>;
  /** Set while the container runs. */
  sandbox?: SandboxRef;
  /** The host ports published while the container runs. */
  ports?: PortMapping[];
  /** The healthcheck's state, for a container with one that has run. */
  health?: HealthState;
  /** The user namespace mapping it runs in (daemon `--userns-remap`, not `--userns=host`); absent: the host's. */
  idMap?: IdMap;
}
