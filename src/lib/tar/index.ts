export { extractTar, safeRelPath, UnsafeTarEntry, type ExtractHooks, type ExtractOptions, type ExtractResult } from './safe-extract';
export { maybeGunzip } from './maybe-gunzip';
export { packEntry, packNode } from './pack-node';
