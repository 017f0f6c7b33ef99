export { ContainerService, parseSignal, type WaitCondition } from './container-service';
export type { ContainerContext, ImageLookup, ContainerRootfs, ImageForContainer } from './deps';
export type { ContainerRecord, ContainerConfig, HostConfig, ContainerState, NetworkEndpoint } from './types';
export { effectiveNetworkMode } from './types';
export type { AttachSink, AttachOptions } from './attach-session';
export { readLogs, type LogOptions } from './read-logs';
export { logPath } from './start-container';
export { ExecService, type ExecConfig, type ExecRecord } from './exec-service';
export { HealthMonitor, ExecProbeRunner, healthText, type HealthState } from './health';
