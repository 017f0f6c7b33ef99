import type { Readable } from 'node:stream';
import { extractEntries, type ExtractOptions, type ExtractResult } from './extract-entries';
import { extractInWorker, workerAvailable } from './extract-host';

export { safeRelPath, type ExtractHooks, type ExtractOptions, type ExtractResult } from './extract-entries';

/**
 * Extracts an (uncompressed) tar stream into root, which must exist. Untrusted input: every
 * entry must stay inside root (`..` that climbs out, symlinked parents, and hardlinks whose
 * target is not an earlier entry of the layer are refused with UnsafeTarEntry; absolute
 * names and hardlink targets are taken relative to root, as Docker does; symlinks may point
 * anywhere, they are never followed here). A stream that is not a whole tar is refused with
 * MalformedTar. Modes, owners, mtimes, symlinks and hardlinks are preserved; OCI whiteouts
 * become overlay whiteouts. On failure input is destroyed; what was written stays for the
 * caller to remove, and nothing is writing any more.
 *
 * The filesystem work runs in a worker thread, with synchronous calls: a layer is thousands
 * of small operations, each far cheaper than a threadpool round trip, and the caller's event
 * loop stays free. Where the worker's script is absent (the CLI's bundle) it runs in this
 * thread.
 */
export function extractTar(input: Readable, root: string, opts: ExtractOptions = {}): Promise<ExtractResult> {
  const settled = {
    ...opts,
    chown: opts.chown ?? (process.getuid?.() === 0),
    whiteouts: opts.whiteouts ?? true,
    umask: process.umask(), // read once: nothing in berth changes it
  };
  return workerAvailable() ? extractInWorker(input, root, settled) : extractEntries(input, root, settled);
}
