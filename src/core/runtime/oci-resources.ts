/**
 * A container's resource limits as the OCI spec's `linux.resources` (without `devices`, which
 * the security defaults own), its `process.rlimits` and `process.oomScoreAdj`, mapped from
 * Docker's HostConfig as moby's daemon/oci_linux.go does. Pure: device numbers for the
 * block I/O throttles come from the caller.
 */

/** The HostConfig fields this mapping reads, already validated and normalised. */
export interface ResourceSettings {
  Memory?: number; MemoryReservation?: number; MemorySwap?: number; MemorySwappiness?: number | null;
  OomKillDisable?: boolean | null; OomScoreAdj?: number;
  NanoCpus?: number; CpuShares?: number; CpuPeriod?: number; CpuQuota?: number;
  CpuRealtimePeriod?: number; CpuRealtimeRuntime?: number; CpusetCpus?: string; CpusetMems?: string;
  PidsLimit?: number | null; BlkioWeight?: number;
  BlkioWeightDevice?: { Path: string; Weight: number }[] | null;
  BlkioDeviceReadBps?: ThrottleDevice[] | null; BlkioDeviceWriteBps?: ThrottleDevice[] | null;
  BlkioDeviceReadIOps?: ThrottleDevice[] | null; BlkioDeviceWriteIOps?: ThrottleDevice[] | null;
  Ulimits?: { Name: string; Soft: number; Hard: number }[] | null;
}

export interface ThrottleDevice { Path: string; Rate: number }

export interface OciResources {
  memory?: { limit?: number; reservation?: number; swap?: number; swappiness?: number; disableOOMKiller?: boolean };
  cpu?: { shares?: number; quota?: number; period?: number; realtimePeriod?: number; realtimeRuntime?: number; cpus?: string; mems?: string };
  pids?: { limit: number };
  blockIO?: {
    weight?: number;
    weightDevice?: { major: number; minor: number; weight: number }[];
    throttleReadBpsDevice?: OciThrottle[]; throttleWriteBpsDevice?: OciThrottle[];
    throttleReadIOPSDevice?: OciThrottle[]; throttleWriteIOPSDevice?: OciThrottle[];
  };
}

export interface OciThrottle { major: number; minor: number; rate: number }

/** A block device's numbers by path; throws (NotFound) when the path is not a device. */
export type DeviceNumbers = (path: string) => { major: number; minor: number };

/** Docker's CFS period for `--cpus`: quota = cpus x 100000 us. */
export const NANO_CPU_PERIOD = 100000;

const positive = (v: number | undefined | null): v is number => typeof v === 'number' && v > 0;
const nonzero = (v: number | undefined | null): v is number => typeof v === 'number' && v !== 0;

/** `linux.resources` for the settings; empty sections are left out. */
export function ociResources(s: ResourceSettings, devices: DeviceNumbers): OciResources {
  const out: OciResources = {};
  const memory: NonNullable<OciResources['memory']> = {};
  if (positive(s.Memory)) memory.limit = s.Memory;
  if (positive(s.MemoryReservation)) memory.reservation = s.MemoryReservation;
  if (nonzero(s.MemorySwap)) memory.swap = s.MemorySwap;
  if (typeof s.MemorySwappiness === 'number' && s.MemorySwappiness >= 0) memory.swappiness = s.MemorySwappiness;
  if (s.OomKillDisable) memory.disableOOMKiller = true;
  if (Object.keys(memory).length) out.memory = memory;

  const cpu: NonNullable<OciResources['cpu']> = {};
  if (positive(s.CpuShares)) cpu.shares = s.CpuShares;
  if (positive(s.NanoCpus)) {
    cpu.period = NANO_CPU_PERIOD;
    cpu.quota = Math.floor((s.NanoCpus * NANO_CPU_PERIOD) / 1e9);
  } else {
    if (positive(s.CpuPeriod)) cpu.period = s.CpuPeriod;
    if (nonzero(s.CpuQuota)) cpu.quota = s.CpuQuota;
  }
  if (positive(s.CpuRealtimePeriod)) cpu.realtimePeriod = s.CpuRealtimePeriod;
  if (positive(s.CpuRealtimeRuntime)) cpu.realtimeRuntime = s.CpuRealtimeRuntime;
  if (s.CpusetCpus) cpu.cpus = s.CpusetCpus;
  if (s.CpusetMems) cpu.mems = s.CpusetMems;
  if (Object.keys(cpu).length) out.cpu = cpu;

  if (nonzero(s.PidsLimit)) out.pids = { limit: s.PidsLimit };

  const io: NonNullable<OciResources['blockIO']> = {};
  if (positive(s.BlkioWeight)) io.weight = s.BlkioWeight;
  if (s.BlkioWeightDevice?.length) io.weightDevice = s.BlkioWeightDevice.map((d) => ({ ...devices(d.Path), weight: d.Weight }));
  const throttle = (list: ThrottleDevice[] | null | undefined) => list?.length ? list.map((d) => ({ ...devices(d.Path), rate: d.Rate })) : undefined;
  const t = {
    throttleReadBpsDevice: throttle(s.BlkioDeviceReadBps), throttleWriteBpsDevice: throttle(s.BlkioDeviceWriteBps),
    throttleReadIOPSDevice: throttle(s.BlkioDeviceReadIOps), throttleWriteIOPSDevice: throttle(s.BlkioDeviceWriteIOps),
  };
  for (const [k, v] of Object.entries(t)) if (v) (io as Record<string, unknown>)[k] = v;
  if (Object.keys(io).length) out.blockIO = io;
  return out;
}

/** The daemon's default rlimits with the container's `--ulimit`s over them, by type. */
export function withUlimits<T extends { type: string; hard: number; soft: number }>(defaults: T[], ulimits: ResourceSettings['Ulimits']): { type: string; hard: number; soft: number }[] {
  const out = new Map<string, { type: string; hard: number; soft: number }>(defaults.map((r) => [r.type, r]));
  for (const u of ulimits ?? []) {
    const type = `RLIMIT_${u.Name.toUpperCase()}`;
    out.set(type, { type, hard: u.Hard, soft: u.Soft });
  }
  return [...out.values()];
}

/**
 * The spec with the container's resources merged into `linux.resources` (beside the device
 * rules already there), its rlimits and its OOM score adjustment.
 */
export function withResources<T extends Record<string, unknown>>(spec: T, res: OciResources, process: { rlimits: { type: string; hard: number; soft: number }[]; oomScoreAdj?: number }): T {
  const linux = (spec.linux ?? {}) as Record<string, unknown>;
  const proc = (spec.process ?? {}) as Record<string, unknown>;
  return {
    ...spec,
    process: { ...proc, rlimits: process.rlimits, ...(process.oomScoreAdj ? { oomScoreAdj: process.oomScoreAdj } : {}) },
    linux: { ...linux, resources: { ...(linux.resources as object | undefined), ...res } },
  };
}
