/**
 * Container cgroups berth writes and reads itself: v1 (one hierarchy per controller, also the
 * hybrid layout) and v2 (unified), picked by the layout at the cgroup root.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CgroupV1 } from './cgroup-v1';
import { CgroupV2 } from './cgroup-v2';
import type { ContainerCgroup } from './types';

export type { CgroupResources, ContainerCgroup } from './types';
export { CgroupV1 } from './cgroup-v1';
export { CgroupV2, sharesToWeight } from './cgroup-v2';

/** v2 when the root itself is a unified hierarchy (it has `cgroup.controllers`); else v1. */
export function openContainerCgroups(root = '/sys/fs/cgroup', parent = 'berth', exists: (p: string) => boolean = existsSync): ContainerCgroup {
  return exists(join(root, 'cgroup.controllers')) ? new CgroupV2(root, parent) : new CgroupV1(root, parent);
}
export { readCgroupHostInfo } from './host-info';
