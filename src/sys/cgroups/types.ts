/**
 * The limits berth writes to a container's cgroup itself (`berth update`), in the OCI spec's
 * `linux.resources` shape so the same object runc applies at create applies here. Absent
 * fields are left as they are; -1 means unlimited where the kernel has an "unlimited".
 */
export interface CgroupResources {
  memory?: { limit?: number; reservation?: number; swap?: number; swappiness?: number; disableOOMKiller?: boolean };
  cpu?: { shares?: number; quota?: number; period?: number; cpus?: string; mems?: string };
  pids?: { limit: number };
  blockIO?: { weight?: number };
}

/**
 * A container's cgroup, written and read by berth. One implementation per layout
 * (cgroup-v1.ts, cgroup-v2.ts; detect.ts picks one). Every method rejects with NotFound when
 * the container has no cgroup (not running), and `update` with InvalidArgument carrying the
 * kernel's reason when it refuses a value (e.g. a memory limit the kernel cannot reclaim to).
 */
export interface ContainerCgroup {
  readonly version: 1 | 2;
  update(id: string, res: CgroupResources): Promise<void>;
  /** True when the kernel's OOM killer killed a process of the container's cgroup. */
  oomKilled(id: string): Promise<boolean>;
  /** The memory limit in force, in bytes; -1 when unlimited. */
  memoryLimit(id: string): Promise<number>;
}
