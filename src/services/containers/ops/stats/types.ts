/** Docker's stats JSON (the parts berth fills), and the contract a cgroup reader fulfils. */

export interface CpuStats {
  cpu_usage: { total_usage: number; percpu_usage?: number[]; usage_in_kernelmode: number; usage_in_usermode: number };
  system_cpu_usage?: number;
  online_cpus?: number;
  throttling_data: { periods: number; throttled_periods: number; throttled_time: number };
}

export interface BlkioEntry { major: number; minor: number; op: string; value: number }

/** What one cgroup read yields; system-wide and network figures are added by the collector. */
export interface CgroupSample {
  pids: { current?: number; limit?: number };
  cpu: CpuStats;
  memory: { usage?: number; max_usage?: number; limit?: number; failcnt?: number; stats?: Record<string, number> };
  blkio: { io_service_bytes_recursive: BlkioEntry[] | null; io_serviced_recursive: BlkioEntry[] | null };
}

/**
 * Reads a container's resource usage from its cgroups. One implementation per cgroup layout
 * (cgroup-v1.ts, cgroup-v2.ts; select-reader.ts picks one). Rejects with NotFound
 * when the container's cgroup is gone.
 */
export interface CgroupStatsReader {
  read(id: string): Promise<CgroupSample>;
}

export interface NetworkStats {
  rx_bytes: number; rx_packets: number; rx_errors: number; rx_dropped: number;
  tx_bytes: number; tx_packets: number; tx_errors: number; tx_dropped: number;
}

export interface StatsJson {
  name: string;
  id: string;
  read: string;
  preread: string;
  pids_stats: CgroupSample['pids'];
  blkio_stats: CgroupSample['blkio'] & Record<string, BlkioEntry[] | null>;
  num_procs: number;
  storage_stats: Record<string, never>;
  cpu_stats: Partial<CpuStats>;
  precpu_stats: Partial<CpuStats>;
  memory_stats: CgroupSample['memory'];
  networks?: Record<string, NetworkStats>;
}
