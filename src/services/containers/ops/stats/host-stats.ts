/** System-wide figures the stats need: /proc/stat CPU time, and a process's network devices. */
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { hasErrno } from '../../../../errdefs';
import type { NetworkStats } from './types';

const TICKS_PER_SECOND = 100;

/** The `cpu` line of /proc/stat (user..softirq, as runc sums it) in nanoseconds. */
export function parseSystemCpu(procStat: string): number {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return 0;
  const ticks = line.trim().split(/\s+/).slice(1, 8).reduce((a, v) => a + Number(v), 0);
  return (ticks * 1e9) / TICKS_PER_SECOND;
}

/** /proc/<pid>/net/dev as Docker's `networks` map; the loopback is left out. */
export function parseNetDev(text: string): Record<string, NetworkStats> {
  const out: Record<string, NetworkStats> = {};
  for (const line of text.split('\n').slice(2)) {
    const m = /^\s*([^:]+):\s*(.*)$/.exec(line);
    if (!m || m[1] === 'lo') continue;
    const v = m[2].trim().split(/\s+/).map(Number);
    out[m[1]] = {
      rx_bytes: v[0], rx_packets: v[1], rx_errors: v[2], rx_dropped: v[3],
      tx_bytes: v[8], tx_packets: v[9], tx_errors: v[10], tx_dropped: v[11],
    };
  }
  return out;
}

export interface HostStats {
  systemCpuNs(): Promise<number>;
  onlineCpus(): number;
  /** Total memory of the host: the limit reported for containers without one. */
  memTotal(): Promise<number>;
  /** The network devices seen from the process's namespace; undefined when it is gone. */
  networks(pid: number): Promise<Record<string, NetworkStats> | undefined>;
}

export const procHostStats: HostStats = {
  systemCpuNs: async () => parseSystemCpu(await readFile('/proc/stat', 'utf8')),
  onlineCpus: () => cpus().length,
  memTotal: async () => {
    const m = /^MemTotal:\s+(\d+) kB/m.exec(await readFile('/proc/meminfo', 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  },
  networks: async (pid) => {
    try { return parseNetDev(await readFile(`/proc/${pid}/net/dev`, 'utf8')); } catch (e) {
      if (hasErrno(e, 'ENOENT') || hasErrno(e, 'ESRCH')) return undefined;
      throw e;
    }
  },
};
