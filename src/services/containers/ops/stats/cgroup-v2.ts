/**
 * The cgroup v2 reader: one unified directory `<root>/berth/<id>` holding cpu.stat,
 * memory.{current,max,stat,events}, pids.{current,max} and io.stat. Fills the sample the way
 * Docker does on v2: CPU in nanoseconds from the `_usec` counters and no `percpu_usage`,
 * memory.stat passed through under its v2 names (the CLI subtracts `inactive_file`), no
 * `max_usage`, `failcnt` from memory.events' `oom`, and io.stat's rbytes/wbytes as
 * `read`/`write` entries of io_service_bytes_recursive (the other blkio lists stay null).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFound, hasErrno } from '../../../../errdefs';
import { CGROUP_ROOT } from '../cgroup-paths';
import { parseKeyValues } from './cgroup-v1';
import type { BlkioEntry, CgroupSample, CgroupStatsReader } from './types';

/** io.stat `8:0 rbytes=4096 wbytes=0 rios=1 ...` lines as Docker's read/write byte entries. */
export function parseIoStat(text: string): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of text.split('\n')) {
    const [dev, ...fields] = line.trim().split(/\s+/);
    const m = /^(\d+):(\d+)$/.exec(dev ?? '');
    if (!m) continue;
    const kv: Record<string, number> = {};
    for (const f of fields) {
      const [k, v] = f.split('=');
      if (k && v !== undefined && /^\d+$/.test(v)) kv[k] = Number(v);
    }
    const major = Number(m[1]);
    const minor = Number(m[2]);
    out.push({ major, minor, op: 'read', value: kv.rbytes ?? 0 }, { major, minor, op: 'write', value: kv.wbytes ?? 0 });
  }
  return out;
}

export class CgroupV2StatsReader implements CgroupStatsReader {
  constructor(private readonly root = CGROUP_ROOT) {}

  private async file(id: string, name: string): Promise<string | undefined> {
    try {
      return await readFile(join(this.root, 'berth', id, name), 'utf8');
    } catch (e) {
      if (hasErrno(e, 'ENOENT')) return undefined;
      throw e;
    }
  }

  async read(id: string): Promise<CgroupSample> {
    const f = (n: string) => this.file(id, n);
    const [cpuStat, memCur, memMax, memStat, memEvents, pidsCur, pidsMax, ioStat] = await Promise.all([
      f('cpu.stat'), f('memory.current'), f('memory.max'), f('memory.stat'), f('memory.events'),
      f('pids.current'), f('pids.max'), f('io.stat'),
    ]);
    if (cpuStat === undefined && memCur === undefined) throw new NotFound(`cgroup of container ${id} not found`);
    // 'max' (no limit) and absent files are undefined; the collector reports host memory then.
    const num = (s?: string) => (s === undefined || !/^\d+$/.test(s.trim()) ? undefined : Number(s.trim()));
    const cpu = parseKeyValues(cpuStat ?? '');
    const events = memEvents === undefined ? undefined : parseKeyValues(memEvents);
    return {
      pids: { current: num(pidsCur), limit: num(pidsMax) },
      cpu: {
        cpu_usage: {
          total_usage: (cpu.usage_usec ?? 0) * 1000,
          usage_in_kernelmode: (cpu.system_usec ?? 0) * 1000,
          usage_in_usermode: (cpu.user_usec ?? 0) * 1000,
        },
        throttling_data: { periods: cpu.nr_periods ?? 0, throttled_periods: cpu.nr_throttled ?? 0, throttled_time: (cpu.throttled_usec ?? 0) * 1000 },
      },
      memory: { usage: num(memCur), limit: num(memMax), failcnt: events?.oom, stats: parseKeyValues(memStat ?? '') },
      blkio: { io_service_bytes_recursive: ioStat === undefined ? null : parseIoStat(ioStat), io_serviced_recursive: null },
    };
  }
}
