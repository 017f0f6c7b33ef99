/** Where a container's cgroups live: `/berth/<id>` under each cgroup v1 hierarchy. */
import { join } from 'node:path';

export const CGROUP_ROOT = '/sys/fs/cgroup';

/** The container's directory in one v1 controller hierarchy (`memory`, `cpuacct`, `pids`, ...). */
export function cgroupDir(controller: string, id: string, root = CGROUP_ROOT): string {
  return join(root, controller, 'berth', id);
}
