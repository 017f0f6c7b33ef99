/**
 * cgroup v2: one unified tree, the container at `<root>/<parent>/<id>`. Values are mapped as
 * runc maps the OCI (v1-shaped) resources: swap is memory+swap in OCI and swap alone in
 * memory.swap.max, shares become cpu.weight, quota and period share cpu.max, -1 is "max".
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NotFound } from '../../errdefs';
import { keyValues, readControl, writeControl } from './cgroup-files';
import type { CgroupResources, ContainerCgroup } from './types';

const max = (v: number) => (v < 0 ? 'max' : String(v));

/** runc's ConvertCPUSharesToCgroupV2Value: [2, 262144] onto [1, 10000]. */
export function sharesToWeight(shares: number): number {
  return shares === 0 ? 0 : 1 + Math.floor(((shares - 2) * 9999) / 262142);
}

export class CgroupV2 implements ContainerCgroup {
  readonly version = 2;
  constructor(private readonly root = '/sys/fs/cgroup', private readonly parent = 'berth') {}

  dir(id: string): string {
    return join(this.root, this.parent, id);
  }

  private file(id: string, name: string): string {
    return join(this.dir(id), name);
  }

  async update(id: string, res: CgroupResources): Promise<void> {
    if (!existsSync(this.dir(id))) throw new NotFound(`no cgroup for container ${id}`);
    const m = res.memory;
    if (m) {
      if (m.reservation !== undefined) await writeControl(this.file(id, 'memory.low'), m.reservation);
      if (m.limit !== undefined) {
        // memory.swap.max is independent of memory.max: order does not matter on v2.
        await writeControl(this.file(id, 'memory.max'), max(m.limit));
        if (m.swap !== undefined && existsSync(this.file(id, 'memory.swap.max'))) {
          await writeControl(this.file(id, 'memory.swap.max'), m.swap < 0 || m.limit < 0 ? 'max' : String(m.swap - m.limit));
        }
      }
      // v2 has no switch to disable the OOM killer: disableOOMKiller is ignored, as runc does.
    }
    const c = res.cpu;
    if (c) {
      if (c.shares !== undefined) await writeControl(this.file(id, 'cpu.weight'), sharesToWeight(c.shares));
      if (c.quota !== undefined || c.period !== undefined) {
        const [curQuota, curPeriod] = (await readControl(this.file(id, 'cpu.max'))).split(' ');
        const quota = c.quota === undefined ? curQuota : c.quota > 0 ? String(c.quota) : 'max';
        await writeControl(this.file(id, 'cpu.max'), `${quota} ${c.period || curPeriod}`);
      }
      if (c.cpus !== undefined) await writeControl(this.file(id, 'cpuset.cpus'), c.cpus);
      if (c.mems !== undefined) await writeControl(this.file(id, 'cpuset.mems'), c.mems);
    }
    if (res.pids) await writeControl(this.file(id, 'pids.max'), res.pids.limit > 0 ? res.pids.limit : 'max');
    if (res.blockIO?.weight !== undefined) {
      const f = ['io.bfq.weight', 'io.weight'].map((n) => this.file(id, n)).find((p) => existsSync(p));
      if (f) await writeControl(f, res.blockIO.weight);
    }
  }

  async oomKilled(id: string): Promise<boolean> {
    const ev = keyValues(await readControl(this.file(id, 'memory.events')));
    return (ev.oom_kill ?? 0) > 0;
  }

  async memoryLimit(id: string): Promise<number> {
    const v = await readControl(this.file(id, 'memory.max'));
    return v === 'max' ? -1 : Number(v);
  }
}
