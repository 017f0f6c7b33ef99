/**
 * Resource limits of a create or update request, checked and normalised as Docker's daemon
 * does (moby daemon/daemon_unix.go verifyPlatformContainerResources and adaptContainerSettings)
 * with its words, before anything is created. Returns Docker's warnings; throws InvalidArgument.
 */
import { statSync } from 'node:fs';
import { cpus } from 'node:os';
import { InvalidArgument } from '../../errdefs';
import { parseCpuset } from './resources-cpuset';

/** What the host's cgroups support (filled by the daemon from sys/cgroups' host info). */
export interface CgroupHostInfo {
  numCpus: number;
  /** cpuset lists, e.g. `0-1`. */
  cpus: string;
  mems: string;
  swapLimit: boolean;
  blkioWeight: boolean;
  oomKillDisable: boolean;
  /** memory.swappiness (v1 only). */
  swappiness: boolean;
}

/**
 * A running container's cgroup as the update and exit paths use it; sys/cgroups implements it
 * for v1 and v2. Rejects with NotFound when the container has no cgroup, InvalidArgument when
 * the kernel refuses a value.
 */
export interface ContainerCgroups {
  host: CgroupHostInfo;
  update(id: string, res: {
    memory?: { limit?: number; reservation?: number; swap?: number; swappiness?: number; disableOOMKiller?: boolean };
    cpu?: { shares?: number; quota?: number; period?: number; cpus?: string; mems?: string };
    pids?: { limit: number };
    blockIO?: { weight?: number };
  }): Promise<void>;
  oomKilled(id: string): Promise<boolean>;
}

const MIN_MEMORY = 6 * 1024 * 1024;

/** The resource fields of HostConfig (also UpdateConfig), as the API carries them. */
export interface ResourceFields {
  Memory?: number; MemoryReservation?: number; MemorySwap?: number; MemorySwappiness?: number | null;
  KernelMemory?: number; OomKillDisable?: boolean | null; OomScoreAdj?: number;
  NanoCpus?: number; CpuShares?: number; CpuPeriod?: number; CpuQuota?: number;
  CpuRealtimePeriod?: number; CpuRealtimeRuntime?: number; CpusetCpus?: string; CpusetMems?: string;
  PidsLimit?: number | null; BlkioWeight?: number; BlkioWeightDevice?: unknown[] | null; ShmSize?: number;
  [key: string]: unknown;
}

/** Docker's zero values for the resource fields inspect always shows. */
export const RESOURCE_DEFAULTS = {
  OomScoreAdj: 0, CpuShares: 0, Memory: 0, NanoCpus: 0, CgroupParent: '', BlkioWeight: 0,
  BlkioWeightDevice: null, BlkioDeviceReadBps: null, BlkioDeviceWriteBps: null, BlkioDeviceReadIOps: null, BlkioDeviceWriteIOps: null,
  CpuPeriod: 0, CpuQuota: 0, CpuRealtimePeriod: 0, CpuRealtimeRuntime: 0, CpusetCpus: '', CpusetMems: '',
  KernelMemory: 0, KernelMemoryTCP: 0, MemoryReservation: 0, MemorySwap: 0, MemorySwappiness: null, OomKillDisable: false, PidsLimit: null, Ulimits: null,
  CpuCount: 0, CpuPercent: 0, IOMaximumIOps: 0, IOMaximumBandwidth: 0,
} as const;

/** The warnings a container's create produced, for the create response (not persisted). */
export const createWarnings = new WeakMap<object, string[]>();

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/**
 * Checks `r` against the host and normalises it in place: swappiness -1 and pids limits <= 0
 * become null, the swap limit defaults to twice the memory limit, unsupported settings are
 * discarded with a warning. `update` relaxes what only applies to a new container.
 */
export function checkResources(r: ResourceFields, host: CgroupHostInfo, opts: { update?: boolean } = {}): string[] {
  const warnings: string[] = [];
  const memory = num(r.Memory);
  const swap = num(r.MemorySwap);
  if (memory !== 0 && memory < MIN_MEMORY) throw new InvalidArgument('Minimum memory limit allowed is 6MB');
  if (swap > 0 && !host.swapLimit) {
    warnings.push('Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.');
    r.MemorySwap = -1;
  }
  if (memory > 0 && swap > 0 && swap < memory) throw new InvalidArgument('Minimum memoryswap limit should be larger than memory limit, see usage');
  if (memory === 0 && swap > 0 && !opts.update) throw new InvalidArgument('You should always set the Memory limit when using Memoryswap limit, see usage');
  if (typeof r.MemorySwappiness === 'number') {
    const s = r.MemorySwappiness;
    if (s !== -1 && (s < 0 || s > 100)) throw new InvalidArgument(`Invalid value: ${s}, valid memory swappiness range is 0-100`);
    if (s === -1) r.MemorySwappiness = null;
    else if (!host.swappiness) {
      warnings.push('Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. Memory swappiness discarded.');
      r.MemorySwappiness = null;
    }
  }
  const reservation = num(r.MemoryReservation);
  if (reservation > 0 && reservation < MIN_MEMORY) throw new InvalidArgument('Minimum memory reservation allowed is 6MB');
  if (memory > 0 && reservation > 0 && memory < reservation) throw new InvalidArgument('Minimum memory limit can not be less than memory reservation limit, see usage');
  const kernel = num(r.KernelMemory);
  if (kernel !== 0) {
    warnings.push('Specifying a kernel memory limit is deprecated and will be removed in a future release.');
    if (kernel > 0 && kernel < MIN_MEMORY) throw new InvalidArgument('Minimum kernel memory limit allowed is 6MB');
  }
  if (r.OomKillDisable && !host.oomKillDisable) {
    warnings.push('Your kernel does not support OomKillDisable. OomKillDisable discarded.');
    r.OomKillDisable = false;
  }
  if (r.OomKillDisable && memory === 0 && !opts.update) {
    warnings.push('OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.');
  }
  const adj = num(r.OomScoreAdj);
  if (adj < -1000 || adj > 1000) throw new InvalidArgument(`Invalid value ${adj}, range for oom score adj is [-1000, 1000]`);
  if (typeof r.PidsLimit === 'number' && r.PidsLimit <= 0) r.PidsLimit = opts.update ? 0 : null;

  const nano = num(r.NanoCpus);
  if (nano > 0 && num(r.CpuPeriod) > 0) throw new InvalidArgument('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (nano > 0 && num(r.CpuQuota) > 0) throw new InvalidArgument('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  if (nano < 0 || nano > host.numCpus * 1e9) {
    throw new InvalidArgument(`Range of CPUs is from 0.01 to ${host.numCpus}.00, as there are only ${host.numCpus} CPUs available`);
  }
  const period = num(r.CpuPeriod);
  if (period !== 0 && (period < 1000 || period > 1000000)) throw new InvalidArgument('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  const quota = num(r.CpuQuota);
  if (quota > 0 && quota < 1000) throw new InvalidArgument('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  checkCpuset(r.CpusetCpus, host.cpus, 'cpus', 'CPUs');
  checkCpuset(r.CpusetMems, host.mems, 'mems', 'memory nodes');

  const weight = num(r.BlkioWeight);
  if (weight > 0 && !host.blkioWeight) {
    warnings.push('Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.');
    r.BlkioWeight = 0;
  } else if (weight > 0 && (weight < 10 || weight > 1000)) {
    throw new InvalidArgument('Range of blkio weight is from 10 to 1000');
  }
  if (r.BlkioWeightDevice?.length && !host.blkioWeight) {
    warnings.push('Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.');
    r.BlkioWeightDevice = [];
  }
  if (num(r.ShmSize) < 0) throw new InvalidArgument('SHM size can not be less than 0');
  // adaptContainerSettings: a memory limit without a swap limit gets twice as much with swap.
  if (!opts.update && memory > 0 && num(r.MemorySwap) === 0 && host.swapLimit) r.MemorySwap = memory * 2;
  return warnings;
}

function checkCpuset(value: string | undefined, available: string, what: string, noun: string): void {
  if (!value) return;
  let requested: Set<number>;
  try { requested = parseCpuset(value); } catch (e) {
    throw new InvalidArgument(`Invalid value ${value} for cpuset ${what}: ${(e as Error).message}`);
  }
  const have = parseCpuset(available);
  if ([...requested].some((n) => !have.has(n))) {
    throw new InvalidArgument(`Requested ${noun} are not available - requested ${value}, available: ${available}`);
  }
}

/** A block device's major and minor numbers, for the I/O throttles; Docker's error otherwise. */
export function blockDeviceNumbers(path: string): { major: number; minor: number } {
  let rdev: number;
  try { rdev = statSync(path).rdev; } catch (e) {
    throw new InvalidArgument(`error gathering device information while adding custom device "${path}": ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
  if (!rdev) throw new InvalidArgument(`${path} is not a device`);
  return { major: Number((BigInt(rdev) >> 8n) & 0xfffn), minor: (rdev & 0xff) | ((rdev >> 12) & 0xfff00) };
}

/** Host facts for contexts without a cgroup view (unit tests): this machine's CPUs, node 0, swap. */
export function defaultHostInfo(): CgroupHostInfo {
  const n = cpus().length || 1;
  return { numCpus: n, cpus: n > 1 ? `0-${n - 1}` : '0', mems: '0', swapLimit: true, blkioWeight: false, oomKillDisable: true, swappiness: true };
}
