import { log } from '../../../lib/logger';
import type { ContainerRecord } from '../types';
import { probeFor, type HealthConfig, type Probe } from './config';
import { goDuration } from '../../../lib/go-duration-string';
import { applyProbeResult, startingHealth } from './state';

/** Runs one probe in a running container. */
export interface ProbeRunner {
  /**
   * Resolves with the probe's exit code and output. Past `timeoutMs` the process is killed and
   * the result is exit code -1 with `timeoutText` as output. Never rejects for the probe's own failure.
   */
  run(containerId: string, cmd: string[], opts: { timeoutMs: number; timeoutText: string }): Promise<{ exitCode: number; output: string }>;
}

export interface HealthDeps {
  store: { find(id: string): ContainerRecord | undefined; all(): ContainerRecord[]; save(rec: ContainerRecord): Promise<void> };
  probe: ProbeRunner;
  events: (action: string, rec: ContainerRecord) => void;
}

const isUp = (rec: ContainerRecord) => rec.state.status === 'running' || rec.state.status === 'paused';

/**
 * Runs each running container's healthcheck as Docker does: the first probe one interval after
 * the start (`StartInterval` while starting within the start period), results kept in the record
 * as `health`, a `health_status: <status>` event on each change. Paused containers are not probed.
 */
export class HealthMonitor {
  private loops = new Map<string, AbortController>();

  constructor(private readonly deps: HealthDeps) {}

  /** A container has just started: its health starts over as `starting` (the log is kept). */
  async started(id: string): Promise<void> {
    this.stop(id);
    const rec = this.deps.store.find(id);
    if (!rec || !isUp(rec)) return;
    const probe = probeFor(rec.config.Healthcheck as HealthConfig | undefined);
    if (!probe) return;
    rec.health = startingHealth(rec.health);
    await this.deps.store.save(rec);
    this.run(rec.id, probe);
  }

  /** After a daemon restart: monitors resume for running containers, their recorded health kept. */
  resume(): void {
    for (const rec of this.deps.store.all()) {
      const probe = probeFor(rec.config.Healthcheck as HealthConfig | undefined);
      if (!probe || !isUp(rec) || this.loops.has(rec.id)) continue;
      rec.health ??= startingHealth();
      this.run(rec.id, probe);
    }
  }

  /** The container stopped: its monitor ends; a probe under way is left to finish unrecorded. */
  stop(id: string): void {
    this.loops.get(id)?.abort();
    this.loops.delete(id);
  }

  close(): void {
    for (const id of [...this.loops.keys()]) this.stop(id);
  }

  private run(id: string, probe: Probe): void {
    const ac = new AbortController();
    this.loops.set(id, ac);
    this.loop(id, probe, ac.signal).catch((e) => log.warn('health monitor failed', { id, error: String(e) }));
  }

  private async loop(id: string, probe: Probe, signal: AbortSignal): Promise<void> {
    const timeoutText = `Health check exceeded timeout (${goDuration(probe.timeoutNs)})`;
    for (;;) {
      const before = this.deps.store.find(id);
      if (!before || !(await sleep(this.interval(before, probe), signal))) return;
      const rec = this.deps.store.find(id);
      if (!rec || !isUp(rec)) return;
      if (rec.state.status === 'paused') continue;
      const start = new Date();
      const r = await this.deps.probe.run(id, probe.cmd, { timeoutMs: probe.timeout, timeoutText })
        .catch((e: Error) => ({ exitCode: -1, output: e.message }));
      if (signal.aborted || !isUp(rec)) return;
      const prev = rec.health ?? startingHealth();
      rec.health = applyProbeResult(prev, {
        Start: start.toISOString(), End: new Date().toISOString(), ExitCode: r.exitCode, Output: r.output,
      }, { retries: probe.retries, inStartPeriod: start.getTime() - Date.parse(rec.state.startedAt) < probe.startPeriod });
      await this.deps.store.save(rec);
      if (rec.health.Status !== prev.Status) this.deps.events(`health_status: ${rec.health.Status}`, rec);
    }
  }

  /** Docker's getInterval: StartInterval while still starting within the start period. */
  private interval(rec: ContainerRecord, probe: Probe): number {
    const inStart = Date.now() - Date.parse(rec.state.startedAt) < probe.startPeriod;
    return inStart && (rec.health?.Status ?? 'starting') === 'starting' ? probe.startInterval : probe.interval;
  }
}

/** Resolves true after ms, false at once when the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (v: boolean) => { clearTimeout(timer); signal.removeEventListener('abort', onAbort); resolve(v); };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort);
  });
}
