/**
 * `POST /containers/{id}/update`: the restart policy takes effect at once; resource limits are
 * recorded in HostConfig (applied to the cgroup at the next start).
 */
import { InvalidArgument } from '../../../errdefs';
import type { ContainerService } from '../container-service';
import type { RestartPolicy } from '../types';

/** The resource fields of UpdateConfig berth records. */
export const RESOURCE_FIELDS = [
  'CpuShares', 'Memory', 'NanoCpus', 'CpuPeriod', 'CpuQuota', 'CpuRealtimePeriod', 'CpuRealtimeRuntime',
  'CpusetCpus', 'CpusetMems', 'BlkioWeight', 'MemoryReservation', 'MemorySwap', 'KernelMemory', 'PidsLimit',
] as const;

export interface UpdateBody { RestartPolicy?: Partial<RestartPolicy>; [field: string]: unknown }

const POLICIES = ['', 'no', 'always', 'unless-stopped', 'on-failure'];

/** Docker's restart policy validation, with its wording. */
export function validateRestartPolicy(p: Partial<RestartPolicy>): RestartPolicy {
  const name = (p.Name ?? '') as RestartPolicy['Name'];
  const max = p.MaximumRetryCount ?? 0;
  if (!POLICIES.includes(name)) throw new InvalidArgument(`invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  if (max < 0) throw new InvalidArgument("invalid restart policy: maximum retry count can't be negative");
  if (max > 0 && name !== 'on-failure') throw new InvalidArgument("invalid restart policy: maximum retry count can only be used with 'on-failure'");
  return { Name: name, MaximumRetryCount: max };
}

export async function updateContainer(svc: ContainerService, ref: string, body: UpdateBody): Promise<{ Warnings: string[] }> {
  const rec = svc.store.get(ref);
  const hc = { ...rec.hostConfig };
  if (body.RestartPolicy && body.RestartPolicy.Name) {
    const policy = validateRestartPolicy(body.RestartPolicy);
    if (rec.hostConfig.AutoRemove && policy.Name !== 'no') {
      throw new InvalidArgument(`Cannot update container ${rec.id}: Restart policy cannot be updated because AutoRemove is enabled for the container`);
    }
    hc.RestartPolicy = policy;
  }
  for (const f of RESOURCE_FIELDS) {
    const v = body[f];
    if (v !== undefined && v !== null && v !== 0 && v !== '') hc[f] = v;
  }
  rec.hostConfig = hc;
  await svc.store.save(rec);
  svc.ctx.events('update', rec);
  return { Warnings: [] };
}
