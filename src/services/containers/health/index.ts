export { probeFor, validateHealthcheck, mergeHealthcheck, type HealthConfig, type Probe } from './config';
export { applyProbeResult, startingHealth, healthText, truncateOutput, MAX_LOG_ENTRIES, MAX_OUTPUT_BYTES } from './state';
export type { HealthState, HealthStatus, HealthLogEntry } from './state';
export { HealthMonitor, type HealthDeps, type ProbeRunner } from './monitor';
export { ExecProbeRunner } from './exec-probe';
