export { VolumeService, type VolumeServiceDeps, type MountInfo, type VolumeUser, type PruneReport } from './volume-service';
export { listFilter, pruneFilter, matchLabels } from './volume-filters';
