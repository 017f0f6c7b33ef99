/**
 * `POST /containers/{id}/update`: the restart policy takes effect at once; resource limits are
 * checked as Docker checks them, recorded in HostConfig and written to a running container's
 * cgroup (the record keeps the old limits when the kernel refuses the new ones).
 */
import { InvalidArgument, findBerthError } from '../../../errdefs';
import type { ContainerService } from '../container-service';
import type { RestartPolicy } from '../types';
import { cgroupUpdateOf, mergeResourceUpdate } from '../resources-update';

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
  const { merged, changed, warnings } = mergeResourceUpdate(rec.id, hc, body, svc.ctx.cgroups);
  Object.assign(hc, merged);
  const live = cgroupUpdateOf(changed, merged);
  if ((rec.state.status === 'running' || rec.state.status === 'paused') && svc.ctx.cgroups && Object.keys(live).length) {
    try {
      await svc.ctx.cgroups.update(rec.id, live);
    } catch (e) {
      const be = findBerthError(e);
      if (!be || be.code !== 'INVALID_ARGUMENT') throw e;
      throw new InvalidArgument(`Cannot update container ${rec.id}: ${be.message}`, { cause: e });
    }
  }
  rec.hostConfig = hc;
  await svc.store.save(rec);
  svc.ctx.events('update', rec);
  return { Warnings: warnings };
}
