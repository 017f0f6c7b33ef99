export { BuildService, type BuildOptions, type PreparedBuild, type BuildServiceOptions } from './build-service';
export type { BuildCacheItem, BuildCachePruneOptions, BuildCachePruneReport } from './build-cache-usage';
