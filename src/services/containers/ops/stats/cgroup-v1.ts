/** The cgroup v1 reader: cpuacct, cpu, memory, pids and blkio hierarchies under `/berth/<id>`. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFound, hasErrno } from '../../../../errdefs';
import { cgroupDir, CGROUP_ROOT } from '../cgroup-paths';
import type { BlkioEntry, CgroupSample, CgroupStatsReader } from './types';

/** USER_HZ: cpuacct.stat counts in these ticks. */
const TICKS_PER_SECOND = 100;

/** `key value` lines as a map of numbers. */
export function parseKeyValues(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^-?\d+$/.test(v)) out[k] = Number(v);
  }
  return out;
}

/** blkio `8:0 Read 4096` lines; the per-device `Total` lines are kept, the grand total dropped. */
export function parseBlkio(text: string): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+):(\d+)\s+(\S+)\s+(\d+)$/.exec(line.trim());
    if (m) out.push({ major: Number(m[1]), minor: Number(m[2]), op: m[3], value: Number(m[4]) });
  }
  return out;
}

export class CgroupV1StatsReader implements CgroupStatsReader {
  constructor(private readonly root = CGROUP_ROOT) {}

  private async file(controller: string, id: string, name: string): Promise<string | undefined> {
    try {
      return await readFile(join(cgroupDir(controller, id, this.root), name), 'utf8');
    } catch (e) {
      if (hasErrno(e, 'ENOENT')) return undefined;
      throw e;
    }
  }

  async read(id: string): Promise<CgroupSample> {
    const f = (c: string, n: string) => this.file(c, id, n);
    const [usage, percpu, cpuStat, throttle, memUsage, memMax, memLimit, memFail, memStat, pidsCur, pidsMax, ioBytes, ioOps] = await Promise.all([
      f('cpuacct', 'cpuacct.usage'), f('cpuacct', 'cpuacct.usage_percpu'), f('cpuacct', 'cpuacct.stat'), f('cpu', 'cpu.stat'),
      f('memory', 'memory.usage_in_bytes'), f('memory', 'memory.max_usage_in_bytes'), f('memory', 'memory.limit_in_bytes'),
      f('memory', 'memory.failcnt'), f('memory', 'memory.stat'), f('pids', 'pids.current'), f('pids', 'pids.max'),
      f('blkio', 'blkio.throttle.io_service_bytes'), f('blkio', 'blkio.throttle.io_serviced'),
    ]);
    if (usage === undefined && memUsage === undefined) throw new NotFound(`cgroup of container ${id} not found`);
    const num = (s?: string) => (s === undefined || !/^\d+$/.test(s.trim()) ? undefined : Number(s.trim()));
    const ticks = parseKeyValues(cpuStat ?? '');
    const thr = parseKeyValues(throttle ?? '');
    const toNs = (t = 0) => Math.round((t * 1e9) / TICKS_PER_SECOND);
    return {
      pids: { current: num(pidsCur), limit: num(pidsMax) },
      cpu: {
        cpu_usage: {
          total_usage: num(usage) ?? 0,
          percpu_usage: (percpu ?? '').trim().split(/\s+/).filter(Boolean).map(Number),
          usage_in_kernelmode: toNs(ticks.system), usage_in_usermode: toNs(ticks.user),
        },
        throttling_data: { periods: thr.nr_periods ?? 0, throttled_periods: thr.nr_throttled ?? 0, throttled_time: thr.throttled_time ?? 0 },
      },
      memory: { usage: num(memUsage), max_usage: num(memMax), limit: num(memLimit), failcnt: num(memFail), stats: parseKeyValues(memStat ?? '') },
      blkio: { io_service_bytes_recursive: parseBlkio(ioBytes ?? ''), io_serviced_recursive: parseBlkio(ioOps ?? '') },
    };
  }
}
