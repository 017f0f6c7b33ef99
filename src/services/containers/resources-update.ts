/**
 * The resource part of `POST /containers/{id}/update`, as Docker's daemon does it: the request
 * checked like a create's, merged into the container's HostConfig (container_unix.go
 * UpdateContainer's rules and words), and written to a running container's cgroup.
 */
import { Conflict } from '../../errdefs';
import { NANO_CPU_PERIOD } from '../../core/runtime/oci-resources';
import { checkResources, defaultHostInfo, type ContainerCgroups, type ResourceFields } from './resources';

/** The resource fields of UpdateConfig berth takes. */
export const RESOURCE_FIELDS = [
  'CpuShares', 'Memory', 'NanoCpus', 'CpuPeriod', 'CpuQuota', 'CpuRealtimePeriod', 'CpuRealtimeRuntime',
  'CpusetCpus', 'CpusetMems', 'BlkioWeight', 'MemoryReservation', 'MemorySwap', 'KernelMemory', 'PidsLimit',
] as const;

const given = (v: unknown) => v !== undefined && v !== null && v !== 0 && v !== '';

/**
 * The container's HostConfig with the update's resources merged in, and Docker's warnings.
 * Throws InvalidArgument for a bad value and Conflict (`Cannot update container <id>: ...`)
 * for a memory limit above the swap limit already set.
 */
export function mergeResourceUpdate(id: string, current: ResourceFields, body: Record<string, unknown>, cgroups?: ContainerCgroups): { merged: ResourceFields; changed: ResourceFields; warnings: string[] } {
  const req: ResourceFields = {};
  for (const f of RESOURCE_FIELDS) if (body[f] !== undefined && body[f] !== null) (req as Record<string, unknown>)[f] = body[f];
  const warnings = checkResources(req, cgroups?.host ?? defaultHostInfo(), { update: true });
  const merged: ResourceFields = { ...current };
  const changed: ResourceFields = {};
  const set = (k: string, v: unknown) => { merged[k] = v; changed[k] = v; };
  const mem = (req.Memory ?? 0) as number;
  if (mem !== 0) {
    if (mem > ((current.MemorySwap ?? 0) as number) && !given(req.MemorySwap)) {
      throw new Conflict(`Cannot update container ${id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time`);
    }
    set('Memory', mem);
  }
  if (given(req.MemorySwap)) set('MemorySwap', req.MemorySwap);
  if (given(req.NanoCpus)) {
    if ((current.CpuPeriod ?? 0) as number > 0 && !given(req.CpuPeriod)) throw new Conflict(`Cannot update container ${id}: Conflicting options: Nano CPUs and CPU Period cannot both be set`);
    set('NanoCpus', req.NanoCpus);
  }
  for (const f of ['CpuShares', 'CpuPeriod', 'CpuQuota', 'CpuRealtimePeriod', 'CpuRealtimeRuntime', 'CpusetCpus', 'CpusetMems', 'BlkioWeight', 'MemoryReservation', 'KernelMemory']) {
    if (given(req[f])) set(f, req[f]);
  }
  if (req.PidsLimit !== undefined && req.PidsLimit !== null) set('PidsLimit', req.PidsLimit);
  return { merged, changed, warnings };
}

/** What a running container's cgroup gets for the changed fields (the merged ones complete them). */
export function cgroupUpdateOf(changed: ResourceFields, merged: ResourceFields): Parameters<ContainerCgroups['update']>[1] {
  const out: Parameters<ContainerCgroups['update']>[1] = {};
  const memory: NonNullable<typeof out.memory> = {};
  if (changed.Memory !== undefined) memory.limit = changed.Memory as number;
  if (changed.MemorySwap !== undefined) memory.swap = changed.MemorySwap as number;
  if (memory.limit !== undefined && memory.swap === undefined && (merged.MemorySwap as number) !== 0) memory.swap = merged.MemorySwap as number;
  if (changed.MemoryReservation !== undefined) memory.reservation = changed.MemoryReservation as number;
  if (Object.keys(memory).length) out.memory = memory;
  const cpu: NonNullable<typeof out.cpu> = {};
  if (changed.CpuShares !== undefined) cpu.shares = changed.CpuShares as number;
  if (changed.NanoCpus !== undefined) {
    cpu.period = NANO_CPU_PERIOD;
    cpu.quota = Math.floor(((changed.NanoCpus as number) * NANO_CPU_PERIOD) / 1e9);
  }
  if (changed.CpuPeriod !== undefined) cpu.period = changed.CpuPeriod as number;
  if (changed.CpuQuota !== undefined) cpu.quota = changed.CpuQuota as number;
  if (changed.CpusetCpus !== undefined) cpu.cpus = changed.CpusetCpus as string;
  if (changed.CpusetMems !== undefined) cpu.mems = changed.CpusetMems as string;
  if (Object.keys(cpu).length) out.cpu = cpu;
  if (changed.PidsLimit !== undefined) out.pids = { limit: (changed.PidsLimit as number) > 0 ? changed.PidsLimit as number : -1 };
  if (changed.BlkioWeight !== undefined) out.blockIO = { weight: changed.BlkioWeight as number };
  return out;
}
