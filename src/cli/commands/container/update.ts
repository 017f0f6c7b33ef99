/** `berth update`: change a container's restart policy and resource limits. */
import type { Command } from 'commander';
import { checkArgs, intArg, newCommand, UsageError } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, forEachArg } from '../../errors';

interface UpdateFlags {
  restart?: string; memory?: string; memoryReservation?: string; memorySwap?: string; cpus?: string;
  cpuShares?: number; cpuPeriod?: number; cpuQuota?: number; cpusetCpus?: string; cpusetMems?: string;
  pidsLimit?: number; blkioWeight?: number; kernelMemory?: string;
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

/** `no`, `always`, `unless-stopped`, `on-failure[:N]` as the API's RestartPolicy. */
export function parseRestart(v: string): { Name: string; MaximumRetryCount: number } {
  const [name, count] = v.split(':', 2);
  if (count !== undefined && !/^\d+$/.test(count)) throw new UsageError(`invalid argument "${v}" for "--restart" flag: invalid restart policy format: maximum retry count must be an integer`);
  return { Name: name, MaximumRetryCount: count === undefined ? 0 : Number(count) };
}

export function updateBody(f: UpdateFlags): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (f.restart !== undefined) body.RestartPolicy = parseRestart(f.restart);
  if (f.memory) body.Memory = Number(f.memory);
  if (f.memoryReservation) body.MemoryReservation = Number(f.memoryReservation);
  if (f.memorySwap) body.MemorySwap = Number(f.memorySwap);
  if (f.kernelMemory) body.KernelMemory = Number(f.kernelMemory);
  if (f.cpus) {
    const n = Number(f.cpus);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`invalid argument "${f.cpus}" for "--cpus" flag: failed to parse ${f.cpus} as a rational number`);
    body.NanoCpus = Math.round(n * 1e9);
  }
  if (f.cpuShares !== undefined) body.CpuShares = f.cpuShares;
  if (f.cpuPeriod !== undefined) body.CpuPeriod = f.cpuPeriod;
  if (f.cpuQuota !== undefined) body.CpuQuota = f.cpuQuota;
  if (f.cpusetCpus !== undefined) body.CpusetCpus = f.cpusetCpus;
  if (f.cpusetMems !== undefined) body.CpusetMems = f.cpusetMems;
  if (f.pidsLimit !== undefined) body.PidsLimit = f.pidsLimit;
  if (f.blkioWeight !== undefined) body.BlkioWeight = f.blkioWeight;
  return body;
}

export function updateCommand(ctx: CliContext): Command {
  const cmd = newCommand('update', '[OPTIONS] CONTAINER [CONTAINER...]', 'Update configuration of one or more containers')
    .option('--blkio-weight <uint16>', 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)', intArg('--blkio-weight'))
    .option('--cpu-period <int>', 'Limit CPU CFS (Completely Fair Scheduler) period', intArg('--cpu-period'))
    .option('--cpu-quota <int>', 'Limit CPU CFS (Completely Fair Scheduler) quota', intArg('--cpu-quota'))
    .option('-c, --cpu-shares <int>', 'CPU shares (relative weight)', intArg('-c, --cpu-shares'))
    .option('--cpus <decimal>', 'Number of CPUs')
    .option('--cpuset-cpus <string>', 'CPUs in which to allow execution (0-3, 0,1)')
    .option('--cpuset-mems <string>', 'MEMs in which to allow execution (0-3, 0,1)')
    .option('--kernel-memory <bytes>', 'Kernel memory limit (deprecated)', ramInBytes('--kernel-memory'))
    .option('-m, --memory <bytes>', 'Memory limit', ramInBytes('-m, --memory'))
    .option('--memory-reservation <bytes>', 'Memory soft limit', ramInBytes('--memory-reservation'))
    .option('--memory-swap <bytes>', 'Swap limit equal to memory plus swap: -1 to enable unlimited swap', ramInBytes('--memory-swap'))
    .option('--pids-limit <int>', 'Tune container pids limit (set -1 for unlimited)', intArg('--pids-limit'))
    .option('--restart <string>', 'Restart policy to apply when a container exits')
    .argument('[containers...]');
  return cmd.action(async (args: string[], f: UpdateFlags) => {
    checkArgs(cmd, args, 1);
    const body = updateBody(f);
    if (!Object.keys(body).length) throw new Error('you must provide one or more flags when using this command');
    const failures = await forEachArg(args, (s) => ctx.err(s), async (id) => {
      const r = await ctx.client.transport.json<{ Warnings?: string[] | null }>('POST', `/containers/${encodeURIComponent(id)}/update`, { body });
      for (const w of r?.Warnings ?? []) ctx.err(`${w}\n`);
      ctx.out(`${id}\n`);
    });
    if (failures.length) throw new ExitStatus(1);
  });
}
