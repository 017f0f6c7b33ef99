export { extractTar, safeRelPath, type ExtractHooks, type ExtractOptions, type ExtractResult } from './safe-extract';
export { UnsafeTarEntry, MalformedTar, asMalformedTar } from './tar-errors';
export { isGzip, maybeGunzip } from './maybe-gunzip';
export { packEntry, packNode } from './pack-node';
