/** Container operations beyond the lifecycle: pause, top, prune, update, stats. */
export { pauseContainer, unpauseContainer } from './pause';
export { topContainer, type TopResult } from './top';
export { pruneContainers, parseUntil, type PruneReport } from './prune';
export { updateContainer, type UpdateBody } from './update';
export { collectStats, type StatsOptions } from './stats';
export { commitContainer, type CommitRequest, type LayerCommit } from './commit';
export { connectContainer, disconnectContainer } from './network-connect';
