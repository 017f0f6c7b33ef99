/** `berth update`: change a container's restart policy and resource limits. */
import type { Command } from 'commander';
import { checkArgs, newCommand, UsageError } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, forEachArg } from '../../errors';
import { addUpdatableResourceFlags, nanoCpus } from './resource-flags';


interface UpdateFlags {
  restart?: string; memory?: string; memoryReservation?: string; memorySwap?: string; cpus?: string;
  cpuShares?: number; cpuPeriod?: number; cpuQuota?: number; cpusetCpus?: string; cpusetMems?: string;
  pidsLimit?: number; blkioWeight?: number; kernelMemory?: string;
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
  if (f.cpus) body.NanoCpus = nanoCpus(f.cpus);
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
  const cmd = addUpdatableResourceFlags(newCommand('update', '[OPTIONS] CONTAINER [CONTAINER...]', 'Update configuration of one or more containers'))
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
