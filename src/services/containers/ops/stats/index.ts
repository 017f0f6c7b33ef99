export { collectStats, sampleStats, defaultSources, type StatsOptions, type StatsSources } from './collect-stats';
export { CgroupV1StatsReader } from './cgroup-v1';
export { CgroupV2StatsReader } from './cgroup-v2';
export { selectCgroupReader, detectCgroupLayout, type CgroupLayout } from './select-reader';
export type { CgroupStatsReader, CgroupSample, StatsJson } from './types';
