/**
 * `GET /containers/{id}/stats`: one sample per second in Docker's JSON, each carrying the
 * previous one as `precpu_stats`. A container that is not running reports zeros, as Docker's.
 */
import { isNotFound } from '../../../../errdefs';
import type { ContainerService } from '../../container-service';
import type { ContainerRecord } from '../../types';
import { procHostStats, type HostStats } from './host-stats';
import { selectCgroupReader } from './select-reader';
import type { CgroupStatsReader, CpuStats, StatsJson } from './types';

const ZERO_TIME = '0001-01-01T00:00:00Z';

export interface StatsSources { cgroups: CgroupStatsReader; host: HostStats }
/** The host's cgroup layout is looked at once, on the first stats request of the daemon. */
let hostReader: CgroupStatsReader | undefined;
export const defaultSources = (): StatsSources => ({ cgroups: (hostReader ??= selectCgroupReader()), host: procHostStats });

export interface StatsOptions {
  /** One object per second until the client leaves or the container stops. */
  stream: boolean;
  /** A single sample at once, without `precpu_stats` (no one-second wait). */
  oneShot: boolean;
  signal?: AbortSignal;
}

function emptyStats(rec: ContainerRecord): StatsJson {
  return {
    name: `/${rec.name}`, id: rec.id, read: ZERO_TIME, preread: ZERO_TIME, pids_stats: {}, num_procs: 0, storage_stats: {},
    blkio_stats: { io_service_bytes_recursive: null, io_serviced_recursive: null, io_queue_recursive: null, io_service_time_recursive: null, io_wait_time_recursive: null, io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null },
    cpu_stats: { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } },
    precpu_stats: { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } },
    memory_stats: {},
  };
}

const alive = (rec: ContainerRecord) => rec.state.status === 'running' || rec.state.status === 'paused';

/** One sample of a running container; undefined when its cgroup is gone (it just stopped). */
export async function sampleStats(rec: ContainerRecord, src: StatsSources): Promise<StatsJson | undefined> {
  let cg;
  try { cg = await src.cgroups.read(rec.id); } catch (e) { if (isNotFound(e)) return undefined; throw e; }
  const [system, memTotal, networks] = await Promise.all([src.host.systemCpuNs(), src.host.memTotal(), src.host.networks(rec.state.pid)]);
  const s = emptyStats(rec);
  s.read = new Date().toISOString();
  s.pids_stats = cg.pids;
  s.blkio_stats = { ...s.blkio_stats, ...cg.blkio };
  s.cpu_stats = { ...cg.cpu, system_cpu_usage: system, online_cpus: src.host.onlineCpus() };
  // No limit (v1's huge number, v2's 'max' read as undefined): the host's memory, as Docker.
  const limit = memTotal > 0 ? Math.min(cg.memory.limit ?? memTotal, memTotal) : cg.memory.limit;
  s.memory_stats = { ...cg.memory, limit };
  if (networks && Object.keys(networks).length) s.networks = networks;
  return s;
}

function withPrevious(cur: StatsJson, prev: StatsJson | undefined): StatsJson {
  if (!prev) return cur;
  return { ...cur, preread: prev.read, precpu_stats: prev.cpu_stats as Partial<CpuStats> };
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
});

/** Writes samples through `write`; resolves when done (one sample, the stream ended, or abort). */
export async function collectStats(svc: ContainerService, ref: string, o: StatsOptions, write: (s: StatsJson) => void, src = defaultSources()): Promise<void> {
  const rec = svc.store.get(ref);
  if (!alive(rec)) { write(emptyStats(rec)); return; }
  let prev: StatsJson | undefined;
  if (!o.stream && !o.oneShot) {
    prev = await sampleStats(rec, src);
    await sleep(1000, o.signal);
  }
  for (;;) {
    if (o.signal?.aborted) return;
    const cur = alive(rec) ? await sampleStats(rec, src) : undefined;
    if (!cur) { write(withPrevious(emptyStats(rec), prev)); return; }
    write(withPrevious(cur, prev));
    if (!o.stream) return;
    prev = cur;
    await sleep(1000, o.signal);
  }
}
