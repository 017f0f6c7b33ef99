/** The resource flags of `run` and `create` and their HostConfig fields, as docker's CLI sends them. */
import type { Command } from 'commander';
import { UsageError, collect, intArg } from '../../command-kit';

export interface ResourceFlags {
  memory?: string; memorySwap?: string; memoryReservation?: string; memorySwappiness?: number; kernelMemory?: string;
  oomKillDisable?: boolean; oomScoreAdj?: number; cpus?: string; cpuPeriod?: number; cpuQuota?: number;
  cpuRtPeriod?: number; cpuRtRuntime?: number; cpuShares?: number; cpusetCpus?: string; cpusetMems?: string;
  pidsLimit?: number; blkioWeight?: number; blkioWeightDevice?: string[];
  deviceReadBps?: string[]; deviceWriteBps?: string[]; deviceReadIops?: string[]; deviceWriteIops?: string[];
  ulimit?: string[]; shmSize?: string;
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** go-units RAMInBytes: `512m`, `1.5g`, `100` (bytes); -1 for swap means unlimited. */
export function ramInBytes(flag: string) {
  return (v: string): string => {
    if (v === '-1') return v;
    const m = /^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(v);
    if (!m) throw new UsageError(`invalid argument "${v}" for "${flag}" flag: invalid size: '${v}'`);
    return String(Math.floor(Number(m[1]) * UNITS[(m[2] ?? '').toLowerCase()]));
  };
}

const ULIMITS = ['as', 'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack'];

/** The flags `update` shares with `run` and `create` (docker's update flag set). */
export function addUpdatableResourceFlags(cmd: Command): Command {
  return cmd
    .option('--blkio-weight <uint16>', 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)', intArg('--blkio-weight'))
    .option('--cpu-period <int>', 'Limit CPU CFS (Completely Fair Scheduler) period', intArg('--cpu-period'))
    .option('--cpu-quota <int>', 'Limit CPU CFS (Completely Fair Scheduler) quota', intArg('--cpu-quota'))
    .option('-c, --cpu-shares <int>', 'CPU shares (relative weight)', intArg('-c, --cpu-shares'))
    .option('--cpus <decimal>', 'Number of CPUs')
    .option('--cpuset-cpus <string>', 'CPUs in which to allow execution (0-3, 0,1)')
    .option('--cpuset-mems <string>', 'MEMs in which to allow execution (0-3, 0,1)')
    .option('--kernel-memory <bytes>', 'Kernel memory limit', ramInBytes('--kernel-memory'))
    .option('-m, --memory <bytes>', 'Memory limit', ramInBytes('-m, --memory'))
    .option('--memory-reservation <bytes>', 'Memory soft limit', ramInBytes('--memory-reservation'))
    .option('--memory-swap <bytes>', "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", ramInBytes('--memory-swap'))
    .option('--pids-limit <int>', 'Tune container pids limit (set -1 for unlimited)', intArg('--pids-limit'));
}

export function addResourceFlags(cmd: Command): Command {
  return addUpdatableResourceFlags(cmd)
    .option('--memory-swappiness <int>', 'Tune container memory swappiness (0 to 100) (default -1)', intArg('--memory-swappiness'))
    .option('--oom-kill-disable', 'Disable OOM Killer')
    .option('--oom-score-adj <int>', "Tune host's OOM preferences (-1000 to 1000)", intArg('--oom-score-adj'))
    .option('--cpu-rt-period <int>', 'Limit CPU real-time period in microseconds', intArg('--cpu-rt-period'))
    .option('--cpu-rt-runtime <int>', 'Limit CPU real-time runtime in microseconds', intArg('--cpu-rt-runtime'))
    .option('--blkio-weight-device <list>', 'Block IO weight (relative device weight)', collect)
    .option('--device-read-bps <list>', 'Limit read rate (bytes per second) from a device', collect)
    .option('--device-write-bps <list>', 'Limit write rate (bytes per second) to a device', collect)
    .option('--device-read-iops <list>', 'Limit read rate (IO per second) from a device', collect)
    .option('--device-write-iops <list>', 'Limit write rate (IO per second) to a device', collect)
    .option('--ulimit <ulimit>', 'Ulimit options', collect)
    .option('--shm-size <bytes>', 'Size of /dev/shm', ramInBytes('--shm-size'));
}

/** `--cpus 1.5` as NanoCpus, with docker's parse errors. */
export function nanoCpus(v: string): number {
  if (!/^\d+(\.\d+)?$/.test(v)) throw new UsageError(`invalid argument "${v}" for "--cpus" flag: failed to parse ${v} as a rational number`);
  const n = Math.round(Number(v) * 1e9);
  if (Math.abs(n - Number(v) * 1e9) > 1e-3) throw new UsageError(`invalid argument "${v}" for "--cpus" flag: value is too precise`);
  return n;
}

/** `name=soft[:hard]`, docker's go-units ParseUlimit. */
export function parseUlimit(v: string): { Name: string; Hard: number; Soft: number } {
  const bad = (why: string) => new UsageError(`invalid argument "${v}" for "--ulimit" flag: ${why}`);
  const eq = v.indexOf('=');
  if (eq < 0) throw bad(`invalid ulimit argument: ${v}`);
  const name = v.slice(0, eq);
  if (!ULIMITS.includes(name)) throw bad(`invalid ulimit type: ${name}`);
  const parts = v.slice(eq + 1).split(':');
  if (parts.length > 2) throw bad(`too many limit value arguments - ${v.slice(eq + 1)}, can only have up to two, \`soft[:hard]\``);
  const [soft, hard] = parts.map((p) => {
    if (!/^-?\d+$/.test(p)) throw bad(`strconv.ParseInt: parsing "${p}": invalid syntax`);
    return Number(p);
  });
  const h = hard ?? soft;
  if (soft > h) throw bad(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${h}`);
  return { Name: name, Hard: h, Soft: soft };
}

/** `/dev/sda:1mb` (bps, a size) or `/dev/sda:100` (iops, an integer). */
export function parseThrottle(flag: string, v: string, iops: boolean): { Path: string; Rate: number } {
  const parts = v.split(':');
  if (parts.length !== 2 || !parts[0]) throw new UsageError(`invalid argument "${v}" for "${flag}" flag: bad format: ${v}`);
  if (!parts[0].startsWith('/dev/')) throw new UsageError(`invalid argument "${v}" for "${flag}" flag: bad format for device path: ${v}`);
  const unit = iops ? 'Number must be a positive integer' : 'Number must be a positive integer. Unit is optional and can be kb, mb, or gb';
  let rate: number;
  try { rate = iops ? (/^\d+$/.test(parts[1]) ? Number(parts[1]) : Number.NaN) : Number(ramInBytes(flag)(parts[1])); } catch { rate = Number.NaN; }
  if (!Number.isFinite(rate) || rate < 0) {
    throw new UsageError(`invalid argument "${v}" for "${flag}" flag: invalid rate for device: ${v}. The correct format is <device-path>:<number>${iops ? '' : '[<unit>]'}. ${unit}`);
  }
  return { Path: parts[0], Rate: rate };
}

/** The HostConfig resource fields for the flags (docker sends empty lists, not nulls). */
export function resourceHostConfig(f: ResourceFlags): Record<string, unknown> {
  const swappiness = f.memorySwappiness;
  if (swappiness !== undefined && swappiness !== -1 && (swappiness < 0 || swappiness > 100)) {
    throw new UsageError(`invalid value: ${swappiness}. Valid memory swappiness range is 0-100`);
  }
  const throttles = (flag: string, list: string[] | undefined, iops: boolean) => (list ?? []).map((v) => parseThrottle(flag, v, iops));
  return {
    Memory: Number(f.memory ?? 0),
    MemorySwap: Number(f.memorySwap ?? 0),
    MemoryReservation: Number(f.memoryReservation ?? 0),
    ...(f.kernelMemory ? { KernelMemory: Number(f.kernelMemory) } : {}),
    ...(swappiness !== undefined ? { MemorySwappiness: swappiness } : {}),
    OomKillDisable: !!f.oomKillDisable,
    OomScoreAdj: f.oomScoreAdj ?? 0,
    NanoCpus: f.cpus ? nanoCpus(f.cpus) : 0,
    CpuShares: f.cpuShares ?? 0,
    CpuPeriod: f.cpuPeriod ?? 0,
    CpuQuota: f.cpuQuota ?? 0,
    CpuRealtimePeriod: f.cpuRtPeriod ?? 0,
    CpuRealtimeRuntime: f.cpuRtRuntime ?? 0,
    CpusetCpus: f.cpusetCpus ?? '',
    CpusetMems: f.cpusetMems ?? '',
    ...(f.pidsLimit !== undefined ? { PidsLimit: f.pidsLimit } : {}),
    BlkioWeight: f.blkioWeight ?? 0,
    BlkioWeightDevice: (f.blkioWeightDevice ?? []).map((v) => {
      const [p, w] = v.split(':');
      if (!p?.startsWith('/dev/') || !/^\d+$/.test(w ?? '')) throw new UsageError(`invalid argument "${v}" for "--blkio-weight-device" flag: bad format: ${v}`);
      return { Path: p, Weight: Number(w) };
    }),
    BlkioDeviceReadBps: throttles('--device-read-bps', f.deviceReadBps, false),
    BlkioDeviceWriteBps: throttles('--device-write-bps', f.deviceWriteBps, false),
    BlkioDeviceReadIOps: throttles('--device-read-iops', f.deviceReadIops, true),
    BlkioDeviceWriteIOps: throttles('--device-write-iops', f.deviceWriteIops, true),
    Ulimits: (f.ulimit ?? []).map(parseUlimit),
    ...(f.shmSize ? { ShmSize: Number(f.shmSize) } : {}),
  };
}
