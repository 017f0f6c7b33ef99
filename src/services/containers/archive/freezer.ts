/**
 * Holds running containers frozen while berthd works in their rootfs from the host. Paths are
 * resolved inside the container step by step (container-view), but the kernel walks them again
 * when berthd opens them: a process of the container that swaps a directory for a symlink to
 * `/` in between would have berthd read or write the host's file (CVE-2018-15664, Docker's
 * `docker cp` race). Frozen, no process of the container runs while berthd looks.
 *
 * The freeze is the runtime's pause (the cgroup freezer), invisible in the record: the state
 * stays `running`, no pause event. Overlapping holds of one container share one freeze; the
 * container is thawed when the last ends. Freezes and thaws of one container run in order.
 */
import type { OciRuntime } from '../../../core/runtime';
import { KeyedLock } from '../../../lib/keyed-lock';
import { log } from '../../../lib/logger';
import { Unavailable } from '../../../errdefs';

export interface FreezeTarget {
  id: string;
  /** Whether the container has processes now (running; a paused one is frozen already). */
  running(): boolean;
  runtime: Pick<OciRuntime, 'pause' | 'resume'>;
}

/** Attempts at a freeze: the cgroup freezer gives up on a container that forks without pause (runc: `unable to freeze`). */
const FREEZE_TRIES = 5;

async function freeze(target: FreezeTarget): Promise<void> {
  for (let tries = 1; ; tries++) {
    try {
      await target.runtime.pause(target.id);
      return;
    } catch (err) {
      if (tries >= FREEZE_TRIES || !target.running()) throw err;
      await new Promise((r) => setTimeout(r, 20 * tries));
    }
  }
}

export class Freezer {
  private readonly holds = new Map<string, { count: number; frozen: Promise<void> }>();
  private readonly order = new KeyedLock();

  /** Runs fn with the container frozen, when it is running. */
  async hold<T>(target: FreezeTarget, fn: () => Promise<T>): Promise<T> {
    const { id } = target;
    let h = this.holds.get(id);
    if (!h && !target.running()) return fn();
    if (!h) {
      // a container that stopped meanwhile has nothing left to race with
      const frozen = this.order.run(id, () => freeze(target)).catch((err) => {
        if (target.running()) throw new Unavailable(`cannot freeze container ${id} to work in its rootfs safely: ${(err as Error).message}`, { cause: err });
      });
      h = { count: 0, frozen };
      this.holds.set(id, h);
    }
    h.count++;
    try {
      await h.frozen;
      return await fn();
    } finally {
      if (--h.count === 0) {
        this.holds.delete(id);
        await this.order.run(id, () => target.runtime.resume(id)).catch((err) => {
          if (target.running()) log.warn('container not thawed after a copy', { id, error: String(err) });
        });
      }
    }
  }
}
