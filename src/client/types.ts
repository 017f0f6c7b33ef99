/** The Engine API shapes the client reads and writes (the parts berth's CLI uses). */

export interface PortBinding { HostIp: string; HostPort: string }
export interface ContainerConfig {
  Hostname?: string; Domainname?: string; User?: string;
  AttachStdin?: boolean; AttachStdout?: boolean; AttachStderr?: boolean;
  ExposedPorts?: Record<string, Record<string, never>>;
  Tty?: boolean; OpenStdin?: boolean; StdinOnce?: boolean;
  Env?: string[]; Cmd?: string[] | null; Image?: string;
  Volumes?: Record<string, Record<string, never>>;
  WorkingDir?: string; Entrypoint?: string[] | null;
  Labels?: Record<string, string>; StopSignal?: string; StopTimeout?: number;
  Healthcheck?: HealthConfig;
}
/** Durations in nanoseconds; 0 inherits the image's value. */
export interface HealthConfig {
  Test?: string[] | null; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number;
}
export interface RestartPolicy { Name: string; MaximumRetryCount?: number }
export interface HostConfig {
  Binds?: string[] | null; NetworkMode?: string;
  PortBindings?: Record<string, PortBinding[]>;
  RestartPolicy?: RestartPolicy; AutoRemove?: boolean;
  CapAdd?: string[] | null; CapDrop?: string[] | null;
  Privileged?: boolean; ReadonlyRootfs?: boolean; Init?: boolean | null; Runtime?: string;
  [key: string]: unknown;
}
export interface ContainerCreateBody extends ContainerConfig {
  HostConfig: HostConfig;
  NetworkingConfig?: { EndpointsConfig?: Record<string, unknown> };
}
export interface ContainerCreateResponse { Id: string; Warnings: string[] | null }
export interface WaitResponse { StatusCode: number; Error?: { Message?: string } | null }

export interface Port { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }
export interface ContainerSummary {
  Id: string; Names: string[]; Image: string; ImageID: string; Command: string;
  Created: number; Ports: Port[]; SizeRw?: number; SizeRootFs?: number;
  Labels: Record<string, string> | null; State: string; Status: string;
  HostConfig?: { NetworkMode?: string };
  NetworkSettings?: { Networks?: Record<string, unknown> } | null;
  Mounts?: { Name?: string; Source?: string; Type?: string }[] | null;
}
/** `GET /containers/{id}/json`: kept loose, printed as the daemon sent it. */
export interface ContainerInspect {
  Id: string; Name: string;
  Config: ContainerConfig;
  State: { Status: string; Running: boolean; ExitCode: number };
  [key: string]: unknown;
}

export interface ImageSummary {
  Id: string; ParentId: string; RepoTags: string[] | null; RepoDigests: string[] | null;
  Created: number; Size: number; SharedSize: number; VirtualSize?: number;
  Labels: Record<string, string> | null; Containers: number;
}
export interface ImageDeleteItem { Untagged?: string; Deleted?: string }
export interface ImagesPruneReport { ImagesDeleted: ImageDeleteItem[] | null; SpaceReclaimed: number }
/** `GET /system/df` (API < 1.52). */
export interface DiskUsage {
  LayersSize: number;
  Images: ImageSummary[] | null;
  Containers: ContainerSummary[] | null;
  Volumes: Array<{ Name: string; UsageData?: { Size: number; RefCount: number } | null }> | null;
  BuildCache: Array<{ ID: string; Type: string; Size: number; CreatedAt: string; LastUsedAt?: string | null; UsageCount: number; InUse: boolean; Shared: boolean }> | null;
}
export interface ImageHistoryItem { Id: string; Created: number; CreatedBy: string; Tags: string[] | null; Size: number; Comment: string }

export interface VersionComponent { Name: string; Version: string; Details?: Record<string, string> }
export interface VersionInfo {
  Platform?: { Name: string }; Components?: VersionComponent[];
  Version: string; ApiVersion: string; MinAPIVersion?: string; GitCommit: string; GoVersion: string;
  Os: string; Arch: string; KernelVersion?: string; Experimental?: boolean; BuildTime?: string;
}
export type SystemInfo = Record<string, unknown>;

/** A message of a JSON-lines stream (load, import, pull). */
export interface JsonMessage {
  status?: string; id?: string; progress?: string; stream?: string;
  aux?: Record<string, unknown>; error?: string; errorDetail?: { message?: string };
}
