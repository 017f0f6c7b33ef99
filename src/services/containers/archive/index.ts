export { ContainerArchive, type ContainerArchiveDeps } from './container-archive';
export { encodePathStat, type PathStat } from './path-stat';
export type { Change, LayerDirs } from './changes';
