/** Pause and unpause: the runtime freezes (thaws) the container's cgroup; the record says `paused`. */
import { Conflict } from '../../../errdefs';
import type { ContainerService } from '../container-service';

/** Conflict `Container <id> is not running` / `is already paused` / `is restarting`, as Docker. */
export async function pauseContainer(svc: ContainerService, ref: string): Promise<void> {
  const rec = svc.store.get(ref);
  if (rec.state.status === 'paused') throw new Conflict(`Container ${rec.id} is already paused`);
  if (rec.state.status === 'restarting') throw new Conflict(`Container ${rec.id} is restarting, wait until the container is running`);
  if (rec.state.status !== 'running') throw new Conflict(`Container ${rec.id} is not running`);
  await svc.ctx.runtimes.get(rec.runtime)!.pause(rec.id);
  // An exit recorded while the runtime froze the cgroup wins over the pause.
  if (rec.state.status !== 'running') return;
  rec.state = { ...rec.state, status: 'paused' };
  await svc.store.save(rec);
  svc.ctx.events('pause', rec);
}

/** Conflict `Container <id> is not paused` for anything but a paused container. */
export async function unpauseContainer(svc: ContainerService, ref: string): Promise<void> {
  const rec = svc.store.get(ref);
  if (rec.state.status !== 'paused') throw new Conflict(`Container ${rec.id} is not paused`);
  await svc.ctx.runtimes.get(rec.runtime)!.resume(rec.id);
  if (rec.state.status !== 'paused') return;
  rec.state = { ...rec.state, status: 'running' };
  await svc.store.save(rec);
  svc.ctx.events('unpause', rec);
}
