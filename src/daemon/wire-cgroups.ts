/**
 * Containers' cgroups as berthd writes them (live updates, OOM kills), for the layout of this
 * host; and berthd's own OOM score, so the kernel picks a container before the daemon (-500,
 * as dockerd sets its own).
 */
import { writeFile } from 'node:fs/promises';
import type { ContainerCgroups } from '../services/containers';
import { openContainerCgroups, readCgroupHostInfo } from '../sys/cgroups';
import { log } from '../lib/logger';

export const DAEMON_OOM_SCORE_ADJ = -500;

export function wireCgroups(root = '/sys/fs/cgroup', parent = 'berth'): ContainerCgroups {
  const cg = openContainerCgroups(root, parent);
  return { host: readCgroupHostInfo(root), update: (id, res) => cg.update(id, res), oomKilled: (id) => cg.oomKilled(id) };
}

export async function protectDaemonFromOom(score = DAEMON_OOM_SCORE_ADJ): Promise<void> {
  await writeFile('/proc/self/oom_score_adj', String(score)).catch((e) => log.warn('cannot set the daemon\'s oom_score_adj', { error: String(e) }));
}
