export { collectStats, sampleStats, defaultSources, type StatsOptions, type StatsSources } from './collect-stats';
export { CgroupV1StatsReader } from './cgroup-v1';
export type { CgroupStatsReader, CgroupSample, StatsJson } from './types';
