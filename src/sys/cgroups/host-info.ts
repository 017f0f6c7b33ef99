/**
 * What the host's cgroups support, read once at daemon start (moby's pkg/sysinfo): the CPUs
 * and memory nodes a container may be pinned to, whether swap and block I/O weight can be
 * limited. Validation of resource requests is made against this.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

const read = (p: string, dflt: string) => { try { return readFileSync(p, 'utf8').trim(); } catch { return dflt; } };

/**
 * numCpus; the cpuset lists (`0-1`) containers may be pinned to; whether swap, block I/O
 * weight, the OOM-killer switch and swappiness can be set. The container service's
 * CgroupHostInfo is this shape (checked where the daemon wires them together).
 */
export function readCgroupHostInfo(root = '/sys/fs/cgroup') {
  const numCpus = cpus().length || 1;
  if (existsSync(join(root, 'cgroup.controllers'))) {
    // What berth's containers get is what the root hands down to its children.
    const delegated = read(join(root, 'cgroup.subtree_control'), '').split(/\s+/);
    return {
      numCpus,
      cpus: read(join(root, 'cpuset.cpus.effective'), `0-${numCpus - 1}`),
      mems: read(join(root, 'cpuset.mems.effective'), '0'),
      swapLimit: delegated.includes('memory'),
      blkioWeight: delegated.includes('io'),
      oomKillDisable: false,
      swappiness: false,
    };
  }
  return {
    numCpus,
    cpus: read(join(root, 'cpuset', 'cpuset.effective_cpus'), `0-${numCpus - 1}`),
    mems: read(join(root, 'cpuset', 'cpuset.effective_mems'), '0'),
    swapLimit: existsSync(join(root, 'memory', 'memory.memsw.limit_in_bytes')),
    blkioWeight: existsSync(join(root, 'blkio', 'blkio.weight')),
    oomKillDisable: existsSync(join(root, 'memory', 'memory.oom_control')),
    swappiness: existsSync(join(root, 'memory', 'memory.swappiness')),
  };
}
