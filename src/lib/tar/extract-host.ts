import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { finished, type Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { EntryOptions, ExtractHooks, ExtractResult } from './extract-entries';
import { deserializeError, serializeError, type FromWorker, type HookName, type ToWorker } from './extract-protocol';
import { asMalformedTar } from './tar-errors';

const WORKER_FILE = join(__dirname, 'extract-worker.js');
/** Idle workers kept for the next extractions (a load or pull unpacks up to three layers at once). */
const KEEP_IDLE = 3;
/** The tar goes to the worker in copies of about this size, their buffers transferred. */
const BATCH = 256 << 10;
/** Bytes sent that the worker has not taken yet, before input is paused. */
const IN_FLIGHT = 4 << 20;

const idle: Worker[] = [];
let jobs = 0;
let available: boolean | undefined;

/** Whether extractions can run in a worker: its compiled script is beside this module (not so in a bundle). */
export function workerAvailable(): boolean {
  available ??= existsSync(WORKER_FILE);
  return available;
}

function spawn(): Worker {
  const w = new Worker(WORKER_FILE);
  // a worker that dies while idle leaves the pool (a job in it hears of it through its own listeners)
  w.on('error', () => undefined);
  w.once('exit', () => {
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
  });
  return w;
}

function takeWorker(): Worker {
  const w = idle.pop() ?? spawn();
  w.ref();
  return w;
}

function release(w: Worker): void {
  if (idle.length >= KEEP_IDLE) { void w.terminate(); return; }
  w.unref(); // an idle worker does not keep the process alive
  idle.push(w);
}

/** One buffer of its own holding chunks (so it can be transferred). */
function packed(chunks: Buffer[], bytes: number): ArrayBuffer {
  const out = Buffer.allocUnsafeSlow(bytes);
  let off = 0;
  for (const c of chunks) off += c.copy(out, off);
  return out.buffer as ArrayBuffer;
}

function runHook(hooks: ExtractHooks, name: HookName, args: unknown[]): Promise<void> {
  if (name === 'mknod') return hooks.mknod!(...(args as Parameters<NonNullable<ExtractHooks['mknod']>>));
  return hooks.setOpaque!(...(args as Parameters<NonNullable<ExtractHooks['setOpaque']>>));
}

/**
 * Runs extractEntries in a worker thread: input is read here and sent on in batches, with
 * backpressure; hooks run here when the worker asks. Settles once the worker has finished
 * (nothing writes under root any more). A failed input is the error (as a MalformedTar when
 * it is a gzip stream's); a failed extraction destroys input.
 */
export function extractInWorker(input: Readable, root: string, opts: EntryOptions & { digest: boolean }): Promise<ExtractResult> {
  const job = ++jobs;
  const w = takeWorker();
  const send = (m: ToWorker, transfer?: ArrayBuffer[]) => w.postMessage(m, transfer);
  const hooks = (['mknod', 'setOpaque'] as HookName[]).filter((h) => opts[h]);
  send({ t: 'start', job, root, chown: opts.chown, whiteouts: opts.whiteouts, umask: opts.umask, digest: opts.digest, hooks });

  return new Promise<ExtractResult>((resolve, reject) => {
    let batch: Buffer[] = [];
    let batchBytes = 0;
    let inFlight = 0;
    let inputError: unknown;
    let settled = false;

    const flush = () => {
      if (!batchBytes) return;
      const buf = packed(batch, batchBytes);
      inFlight += batchBytes;
      batch = [];
      batchBytes = 0;
      send({ t: 'data', job, buf }, [buf]);
    };
    const onData = (chunk: Buffer) => {
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= BATCH) flush();
      if (inFlight >= IN_FLIGHT) input.pause();
    };
    const onEnd = () => { flush(); send({ t: 'end', job }); };
    const onInputError = (err: unknown) => { inputError ??= err; send({ t: 'abort', job }); };
    let unwatch = () => { /* set below */ };
    const detach = () => {
      input.off('data', onData);
      input.off('end', onEnd);
      unwatch();
      w.off('message', onMessage);
      w.off('error', onCrash);
      w.off('exit', onCrash);
    };
    /** Settles once the worker has answered (it is then free for another job) or died. */
    const finish = (workerFree: boolean, err: unknown, result?: ExtractResult) => {
      if (settled) return;
      settled = true;
      detach();
      if (workerFree) release(w);
      if (err === undefined) { resolve(result!); return; }
      input.destroy();
      reject(inputError !== undefined ? asMalformedTar(inputError) ?? inputError : err);
    };
    function onMessage(m: FromWorker): void {
      if (m.job !== job) return;
      switch (m.t) {
        case 'ack':
          inFlight -= m.bytes;
          if (inFlight < IN_FLIGHT / 2 && input.isPaused()) input.resume();
          break;
        case 'hook':
          runHook(opts, m.name, m.args).then(
            () => send({ t: 'hookDone', job, id: m.id }),
            (err: unknown) => send({ t: 'hookDone', job, id: m.id, error: serializeError(err) }),
          );
          break;
        case 'done':
          finish(true, undefined, { size: m.size, digest: m.digest });
          break;
        case 'failed':
          finish(true, deserializeError(m.error));
          break;
      }
    }
    function onCrash(err: unknown): void {
      finish(false, err instanceof Error ? err : new Error(`tar extraction worker exited (${String(err)})`));
    }
    w.on('message', onMessage);
    w.on('error', onCrash);
    w.on('exit', onCrash);
    // an error, or a close before the end
    unwatch = finished(input, (err) => { if (err) onInputError(err); });
    input.on('end', onEnd);
    input.on('data', onData);
  });
}
