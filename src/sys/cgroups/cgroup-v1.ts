/**
 * cgroup v1: one hierarchy per controller, the container at `<root>/<controller>/<parent>/<id>`
 * (runc's layout for cgroupsPath `/<parent>/<id>`). Memory and swap are written in the order
 * the kernel accepts (memsw may never be below memory), as runc does.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgument, NotFound, hasErrno } from '../../errdefs';
import { keyValues, readControl, writeControl } from './cgroup-files';
import type { CgroupResources, ContainerCgroup } from './types';

/** v1's "unlimited" as the kernel reports it back (page-rounded LONG_MAX). */
const V1_UNLIMITED = 9223372036854771712;

export class CgroupV1 implements ContainerCgroup {
  readonly version = 1;
  constructor(private readonly root = '/sys/fs/cgroup', private readonly parent = 'berth') {}

  dir(controller: string, id: string): string {
    return join(this.root, controller, this.parent, id);
  }

  private file(controller: string, id: string, name: string): string {
    return join(this.dir(controller, id), name);
  }

  async update(id: string, res: CgroupResources): Promise<void> {
    if (!existsSync(this.dir('memory', id))) throw new NotFound(`no cgroup for container ${id}`);
    const m = res.memory;
    if (m) {
      const mem = (name: string) => this.file('memory', id, name);
      if (m.reservation !== undefined) await writeControl(mem('memory.soft_limit_in_bytes'), m.reservation);
      const hasSwap = existsSync(mem('memory.memsw.limit_in_bytes'));
      const swap = hasSwap ? m.swap : undefined;
      if (m.limit !== undefined && swap !== undefined) {
        const current = Number(await readControl(mem('memory.limit_in_bytes')));
        // Raising: memsw first (it may not sit below memory); lowering: memory first.
        if (swap === -1 || current < swap) {
          await writeControl(mem('memory.memsw.limit_in_bytes'), swap);
          await this.setMemoryLimit(id, m.limit);
        } else {
          await this.setMemoryLimit(id, m.limit);
          await writeControl(mem('memory.memsw.limit_in_bytes'), swap);
        }
      } else if (m.limit !== undefined) {
        await this.setMemoryLimit(id, m.limit);
      } else if (swap !== undefined) {
        await writeControl(mem('memory.memsw.limit_in_bytes'), swap);
      }
      if (m.swappiness !== undefined) await writeControl(mem('memory.swappiness'), m.swappiness);
      if (m.disableOOMKiller !== undefined) await writeControl(mem('memory.oom_control'), m.disableOOMKiller ? 1 : 0);
    }
    const c = res.cpu;
    if (c) {
      if (c.shares !== undefined) await writeControl(this.file('cpu', id, 'cpu.shares'), c.shares);
      if (c.period !== undefined) await writeControl(this.file('cpu', id, 'cpu.cfs_period_us'), c.period);
      if (c.quota !== undefined) await writeControl(this.file('cpu', id, 'cpu.cfs_quota_us'), c.quota);
      if (c.cpus !== undefined) await writeControl(this.file('cpuset', id, 'cpuset.cpus'), c.cpus);
      if (c.mems !== undefined) await writeControl(this.file('cpuset', id, 'cpuset.mems'), c.mems);
    }
    if (res.pids) await writeControl(this.file('pids', id, 'pids.max'), res.pids.limit > 0 ? res.pids.limit : 'max');
    if (res.blockIO?.weight !== undefined && existsSync(this.file('blkio', id, 'blkio.weight'))) {
      await writeControl(this.file('blkio', id, 'blkio.weight'), res.blockIO.weight);
    }
  }

  /** A limit the kernel cannot reclaim down to is refused (EBUSY) in runc's words. */
  private async setMemoryLimit(id: string, limit: number): Promise<void> {
    try {
      await writeControl(this.file('memory', id, 'memory.limit_in_bytes'), limit);
    } catch (e) {
      if (!hasErrno((e as Error).cause, 'EBUSY')) throw e;
      const usage = await readControl(this.file('memory', id, 'memory.usage_in_bytes')).catch(() => '?');
      const peak = await readControl(this.file('memory', id, 'memory.max_usage_in_bytes')).catch(() => '?');
      throw new InvalidArgument(`unable to set memory limit to ${limit} (current usage: ${usage}, peak usage: ${peak})`, { cause: e });
    }
  }

  async oomKilled(id: string): Promise<boolean> {
    const ctl = keyValues(await readControl(this.file('memory', id, 'memory.oom_control')));
    return (ctl.oom_kill ?? 0) > 0;
  }

  async memoryLimit(id: string): Promise<number> {
    const v = Number(await readControl(this.file('memory', id, 'memory.limit_in_bytes')));
    return v >= V1_UNLIMITED ? -1 : v;
  }
}
