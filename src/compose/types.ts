/**
 * The compose model after loading: files merged, variables interpolated, short forms
 * expanded into long ones. The planner and executor read only this shape.
 */

export interface PortConfig { target: number; published?: string; host_ip?: string; protocol: string }
export interface VolumeMount {
  type: 'volume' | 'bind' | 'tmpfs';
  /** A top-level volume's key, a host path (absolute), or empty (anonymous volume, tmpfs). */
  source?: string;
  target: string;
  read_only?: boolean;
}
export interface ServiceNetwork { aliases?: string[]; ipv4_address?: string }
export type DependsCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';
export interface DependsOn { condition: DependsCondition; required: boolean }
export interface Healthcheck {
  test?: string[]; interval?: string; timeout?: string; start_period?: string; start_interval?: string;
  retries?: number; disable?: boolean;
}
export interface BuildConfig {
  context: string; dockerfile?: string; args?: Record<string, string | null>; target?: string; labels?: Record<string, string>;
}
export interface FileReference { source: string; target?: string }

export interface ServiceConfig {
  name: string;
  image?: string;
  build?: BuildConfig;
  command?: string[];
  entrypoint?: string[];
  environment: Record<string, string | null>;
  ports: PortConfig[];
  expose: string[];
  volumes: VolumeMount[];
  /** Network key -> attachment; empty object means the project's default network. */
  networks: Record<string, ServiceNetwork>;
  depends_on: Record<string, DependsOn>;
  healthcheck?: Healthcheck;
  restart?: string;
  replicas: number;
  resources?: { limits?: { cpus?: string; memory?: string } };
  profiles: string[];
  links: string[];
  labels: Record<string, string>;
  container_name?: string;
  hostname?: string;
  working_dir?: string;
  user?: string;
  extra_hosts: string[];
  dns: string[];
  cap_add: string[];
  privileged?: boolean;
  tmpfs: string[];
  ulimits: Record<string, { soft: number; hard: number }>;
  init?: boolean;
  stop_signal?: string;
  stop_grace_period?: string;
  secrets: FileReference[];
  configs: FileReference[];
}

export interface NetworkConfig { name: string; external: boolean; driver?: string; internal?: boolean; labels: Record<string, string>; ipam?: { config?: { subnet?: string; gateway?: string }[] } }
export interface VolumeConfig { name: string; external: boolean; driver?: string; labels: Record<string, string> }
export interface FileObjectConfig { file: string }

export interface Project {
  name: string;
  workingDir: string;
  configFiles: string[];
  /** Every service defined, enabled or not. */
  services: Record<string, ServiceConfig>;
  /** The services the active profiles enable. */
  enabled: string[];
  networks: Record<string, NetworkConfig>;
  volumes: Record<string, VolumeConfig>;
  secrets: Record<string, FileObjectConfig>;
  configs: Record<string, FileObjectConfig>;
  /** The merged, interpolated document (what `config` prints). */
  document: Record<string, unknown>;
}
