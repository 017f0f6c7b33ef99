import { readFile } from 'node:fs/promises';

/**
 * crun 1.8 refuses hosts whose cgroup v2 mount has controllers while v1 hierarchies hold the
 * rest ("hybrid mode"), as these machines are set up. Returns the reason when the host is so.
 */
export async function crunRefusal(): Promise<string | undefined> {
  let controllers: string;
  try {
    controllers = (await readFile('/sys/fs/cgroup/unified/cgroup.controllers', 'utf8')).trim();
  } catch {
    return undefined;
  }
  if (!controllers) return undefined;
  return `runtime crun cannot run containers on this host: it refuses cgroups in hybrid mode (cgroup v1 controllers, and "${controllers}" on the cgroup v2 mount at /sys/fs/cgroup/unified); use --runtime runc`;
}
