import { createHash } from 'node:crypto';
import { pipeline, Transform, type Readable } from 'node:stream';
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
 * The filesystem work (and the hashing asked for) runs in a worker thread, with synchronous
 * calls: a layer is thousands of small operations, each far cheaper than a threadpool round
 * trip, and the caller's event loop stays free. Where the worker's script is absent (the
 * CLI's bundle) it runs in this thread.
 */
export function extractTar(input: Readable, root: string, opts: ExtractOptions = {}): Promise<ExtractResult> {
  return workerAvailable() ? extractInWorker(input, root, entryOptions(opts)) : extractHere(input, root, opts);
}

/** opts with the defaults settled in this thread. */
function entryOptions(opts: ExtractOptions) {
  return {
    ...opts,
    chown: opts.chown ?? (process.getuid?.() === 0),
    whiteouts: opts.whiteouts ?? true,
    digest: opts.digest ?? false,
    umask: process.umask(), // read once: nothing in berth changes it
  };
}

/** extractTar in this thread (a short-lived process, or where the worker's script is absent). */
export async function extractHere(input: Readable, root: string, opts: ExtractOptions = {}): Promise<ExtractResult> {
  const settled = entryOptions(opts);
  if (!settled.digest) return extractEntries(input, root, settled);
  const hash = createHash('sha256');
  const hashing = new Transform({ transform(chunk: Buffer, _enc, cb) { hash.update(chunk); cb(null, chunk); } });
  // destroying hashing (a failed extraction) destroys input too
  const { size } = await extractEntries(pipeline(input, hashing, () => { /* errors surface on hashing */ }), root, settled);
  return { size, digest: `sha256:${hash.digest('hex')}` };
}
