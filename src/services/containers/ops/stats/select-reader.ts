/**
 * Which cgroup layout the host has, decided once when berthd starts: a pure unified (v2)
 * hierarchy has `cgroup.controllers` at the cgroup root; v1 and hybrid layouts do not (a
 * hybrid's v2 part sits under `<root>/unified`, and berth's controllers live in v1 there).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CGROUP_ROOT } from '../cgroup-paths';
import { CgroupV1StatsReader } from './cgroup-v1';
import { CgroupV2StatsReader } from './cgroup-v2';
import type { CgroupStatsReader } from './types';

export type CgroupLayout = 'v1' | 'v2';

export function detectCgroupLayout(root = CGROUP_ROOT, exists: (p: string) => boolean = existsSync): CgroupLayout {
  return exists(join(root, 'cgroup.controllers')) ? 'v2' : 'v1';
}

/** The stats reader for the layout found under `root` (tests pass a temp dir or an `exists`). */
export function selectCgroupReader(root = CGROUP_ROOT, exists: (p: string) => boolean = existsSync): CgroupStatsReader {
  return detectCgroupLayout(root, exists) === 'v2' ? new CgroupV2StatsReader(root) : new CgroupV1StatsReader(root);
}
