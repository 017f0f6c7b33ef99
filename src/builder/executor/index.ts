/**
 * builder/executor: runs a parsed Dockerfile through the engine's contracts (backend.ts) as
 * Docker's builder does, with BuildKit's newer instructions, a content-based step cache,
 * skipped and parallel stages.
 */
export { executeBuild, type BuildRequest, type BuildDeps } from './execute-build';
export type { BuildBackend, BuildCache, BuildImage, CommittedLayer, RwLayer, RunSpec, RunOutcome, RunMountSpec, CacheMountLease } from './backend';
export type { BuildOutput } from './output';
export { RunFailed } from './dispatch-run';
export { shortId } from './step';
export { resolveInScope } from './scoped-path';
export { hostSourceFs, resolveScoped, type SourceFs, type SourceStat } from './copy/source-fs';
