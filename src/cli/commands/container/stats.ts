/** `berth stats`: live resource usage, computed from the daemon's stats JSON as the docker CLI does. */
import type { Command } from 'commander';
import { newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { renderRows } from '../../formatters/format';
import { formatG, humanSize } from '../../../lib/go-units';
import { describeError } from '../../errors';

export const STATS_DEFAULT_FORMAT = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';
const STATS_HEADERS = {
  Container: 'CONTAINER', ID: 'CONTAINER ID', Name: 'NAME', CPUPerc: 'CPU %', MemUsage: 'MEM USAGE / LIMIT',
  MemPerc: 'MEM %', NetIO: 'NET I/O', BlockIO: 'BLOCK I/O', PIDs: 'PIDS',
};

/** The parts of the daemon's stats JSON the CLI reads. */
export interface StatsJson {
  id: string; name: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
  blkio_stats?: { io_service_bytes_recursive?: { op: string; value: number }[] | null };
  pids_stats?: { current?: number };
}

export interface StatsEntry {
  container: string; id: string; name: string; cpuPercent: number; memory: number; memoryLimit: number; memoryPercent: number;
  netRx: number; netTx: number; blockRead: number; blockWrite: number; pids: number; invalid: boolean;
}

/** docker's calculateCPUPercentUnix: the container's share of the host's CPU time, times CPUs. */
export function cpuPercent(s: StatsJson): number {
  const cpuDelta = (s.cpu_stats?.cpu_usage?.total_usage ?? 0) - (s.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (s.cpu_stats?.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0);
  const cpus = s.cpu_stats?.online_cpus || s.cpu_stats?.cpu_usage?.percpu_usage?.length || 0;
  return systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
}

/** Usage without the page cache: `total_inactive_file` (v1) or `inactive_file` (v2) taken off. */
export function memoryUsage(m: StatsJson['memory_stats'] = {}): number {
  const usage = m.usage ?? 0;
  const st = m.stats ?? {};
  if ('total_inactive_file' in st) return st.total_inactive_file < usage ? usage - st.total_inactive_file : usage;
  if ((st.inactive_file ?? 0) < usage) return usage - (st.inactive_file ?? 0);
  return usage;
}

export function statsEntry(container: string, s: StatsJson): StatsEntry {
  const memory = memoryUsage(s.memory_stats);
  const limit = s.memory_stats?.limit ?? 0;
  let netRx = 0; let netTx = 0; let blockRead = 0; let blockWrite = 0;
  for (const n of Object.values(s.networks ?? {})) { netRx += n.rx_bytes; netTx += n.tx_bytes; }
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = e.op.toLowerCase();
    if (op === 'read') blockRead += e.value; else if (op === 'write') blockWrite += e.value;
  }
  return {
    container, id: s.id, name: s.name.replace(/^\//, ''), cpuPercent: cpuPercent(s), memory, memoryLimit: limit,
    memoryPercent: limit ? (memory / limit) * 100 : 0, netRx, netTx, blockRead, blockWrite, pids: s.pids_stats?.current ?? 0, invalid: false,
  };
}

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];
/** go-units BytesSize: `%.4g` with binary units. */
export function bytesSize(n: number): string {
  let size = n; let i = 0;
  while (size >= 1024 && i < BINARY.length - 1) { size /= 1024; i++; }
  return `${formatG(size, 4)}${BINARY[i]}`;
}

export function statsContext(e: StatsEntry, trunc = true): Record<string, unknown> {
  const pct = (v: number) => (e.invalid ? '--' : `${v.toFixed(2)}%`);
  return {
    Container: e.container, ID: trunc ? e.id.slice(0, 12) : e.id, Name: e.invalid ? '--' : e.name,
    CPUPerc: pct(e.cpuPercent), MemPerc: pct(e.memoryPercent),
    MemUsage: e.invalid ? '-- / --' : `${bytesSize(e.memory)} / ${bytesSize(e.memoryLimit)}`,
    NetIO: e.invalid ? '--' : `${humanSize(e.netRx)} / ${humanSize(e.netTx)}`,
    BlockIO: e.invalid ? '--' : `${humanSize(e.blockRead)} / ${humanSize(e.blockWrite)}`,
    PIDs: e.invalid ? '--' : String(e.pids),
  };
}

interface StatsFlags { all?: boolean; noStream?: boolean; stream?: boolean; noTrunc?: boolean; trunc?: boolean; format?: string }

export function statsCommand(ctx: CliContext): Command {
  const cmd = newCommand('stats', '[OPTIONS] [CONTAINER...]', 'Display a live stream of container(s) resource usage statistics')
    .option('-a, --all', 'Show all containers (default shows just running)')
    .option('--format <string>', 'Format output using a custom template')
    .option('--no-stream', 'Disable streaming stats and only pull the first result')
    .option('--no-trunc', 'Do not truncate output')
    .argument('[containers...]');
  return cmd.action(async (args: string[], f: StatsFlags) => {
    const names = args.length ? args : (await ctx.client.containers.list({ all: f.all })).map((c) => c.Id.slice(0, 12));
    const format = f.format || STATS_DEFAULT_FORMAT;
    const trunc = f.trunc !== false;
    const render = (entries: StatsEntry[]) => renderRows(format, entries, { headers: STATS_HEADERS, toContext: (e) => statsContext(e, trunc) });
    if (f.stream === false) {
      const entries = await Promise.all(names.map(async (n) => {
        const s = await ctx.client.transport.json<StatsJson>('GET', `/containers/${encodeURIComponent(n)}/stats`, { query: { stream: '0' } });
        return statsEntry(n, s);
      }));
      ctx.out(render(entries));
      return;
    }
    const latest = new Map<string, StatsEntry>(names.map((n) => [n, { ...statsEntry(n, { id: n, name: '' }), invalid: true }]));
    const abort = new AbortController();
    const streams = names.map((n) => ctx.client.transport.jsonLines<StatsJson>('GET', `/containers/${encodeURIComponent(n)}/stats`, { query: { stream: '1' }, signal: abort.signal }, (s) => {
      latest.set(n, statsEntry(n, s));
    }).catch((e) => { if (!abort.signal.aborted) ctx.err(`${describeError(e)}\n`); }));
    const timer = setInterval(() => ctx.out(`\x1b[2J\x1b[H${render([...latest.values()])}`), 1000);
    await Promise.all(streams);
    clearInterval(timer);
    ctx.out(`\x1b[2J\x1b[H${render([...latest.values()])}`);
  });
}
