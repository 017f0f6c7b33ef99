/**
 * The worker thread extractTar runs extractions in (see extract-host): one job at a time,
 * the tar it is sent hashed if asked and fed to extractEntries, hooks run by the host on
 * request, and done or failed answered once nothing is writing any more.
 */
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { Readable } from 'node:stream';
import { extractEntries, type EntryOptions } from './extract-entries';
import { serializeError, deserializeError, type FromWorker, type HookName, type ToWorker } from './extract-protocol';

/** Bytes queued for the extractor before the worker stops acknowledging (the host then stops sending). */
const QUEUE = 1 << 20;

const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);

interface Job {
  id: number;
  source: Readable;
  feed(buf: Buffer): void;
  hookCalls: Map<number, { resolve: () => void; reject: (err: Error) => void }>;
}
let job: Job | undefined;
const end = (id: number) => { if (job?.id === id) job = undefined; };

function start(m: Extract<ToWorker, { t: 'start' }>): Job {
  let owed = 0;
  const ack = () => {
    if (owed) post({ t: 'ack', job: m.job, bytes: owed });
    owed = 0;
  };
  // read() means the extractor wants more: what was queued is taken
  const source = new Readable({ highWaterMark: QUEUE, read: ack });
  const hookCalls: Job['hookCalls'] = new Map();
  let nextHook = 0;
  const hook = (name: HookName) => (...args: unknown[]) => new Promise<void>((resolve, reject) => {
    const id = nextHook++;
    hookCalls.set(id, { resolve, reject });
    post({ t: 'hook', job: m.job, id, name, args });
  });
  const hash = m.digest ? createHash('sha256') : undefined;
  const opts: EntryOptions = { chown: m.chown, whiteouts: m.whiteouts, umask: m.umask };
  if (m.hooks.includes('mknod')) opts.mknod = hook('mknod');
  if (m.hooks.includes('setOpaque')) opts.setOpaque = hook('setOpaque');
  extractEntries(source, m.root, opts).then(
    ({ size }) => { end(m.job); post({ t: 'done', job: m.job, size, digest: hash && `sha256:${hash.digest('hex')}` }); },
    (err: unknown) => { end(m.job); post({ t: 'failed', job: m.job, error: serializeError(err) }); },
  );
  return {
    id: m.job,
    source,
    hookCalls,
    feed: (buf) => {
      hash?.update(buf);
      owed += buf.length;
      if (source.push(buf)) ack();
    },
  };
}

port.on('message', (m: ToWorker) => {
  if (m.t === 'start') { job = start(m); return; }
  if (!job || m.job !== job.id) return; // a message of a job that has ended
  switch (m.t) {
    case 'data': job.feed(Buffer.from(m.buf)); break;
    case 'end': job.source.push(null); break;
    case 'abort': job.source.destroy(new Error('extraction aborted: its input failed')); break;
    case 'hookDone': {
      const call = job.hookCalls.get(m.id);
      job.hookCalls.delete(m.id);
      if (m.error) call?.reject(deserializeError(m.error));
      else call?.resolve();
      break;
    }
  }
});
