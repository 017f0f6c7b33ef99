import { open } from 'node:fs/promises';
import { watch } from 'node:fs';
import { parseK8sLogLine, type LogRecord } from '../../lib/k8s-log';
import { hasErrno } from '../../errdefs';

export interface LogOptions {
  stdout: boolean;
  stderr: boolean;
  follow: boolean;
  /** Number of last records, or undefined for all. */
  tail?: number;
  /** Unix milliseconds bounds; 0 means none. */
  sinceMs: number;
  untilMs: number;
}

/**
 * Streams a container's k8s-file log as records: everything matching now, then, with follow,
 * each record appended until `stopped` resolves (the container ended) or `signal` aborts.
 */
export async function readLogs(path: string, opts: LogOptions, emit: (r: LogRecord) => void, stopped: Promise<unknown>, signal: AbortSignal): Promise<void> {
  let offset = 0;
  let rest = '';
  const wanted = (r: LogRecord) => (r.stream === 'stdout' ? opts.stdout : opts.stderr)
    && (!opts.sinceMs || r.ms >= opts.sinceMs) && (!opts.untilMs || r.ms <= opts.untilMs);

  const readNew = async (): Promise<LogRecord[]> => {
    let fh;
    try { fh = await open(path, 'r'); } catch (e) { if (hasErrno(e, 'ENOENT')) return []; throw e; }
    try {
      const size = (await fh.stat()).size;
      if (size < offset) { offset = 0; rest = ''; }
      if (size === offset) return [];
      const buf = Buffer.alloc(size - offset);
      await fh.read(buf, 0, buf.length, offset);
      offset = size;
      const lines = (rest + buf.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      return lines.map(parseK8sLogLine).filter((r): r is LogRecord => !!r && wanted(r));
    } finally { await fh.close(); }
  };

  let first = await readNew();
  if (opts.tail !== undefined && opts.tail >= 0) first = opts.tail === 0 ? [] : first.slice(-opts.tail);
  first.forEach(emit);
  if (!opts.follow || signal.aborted) return;
  if (opts.untilMs && opts.untilMs <= Date.now()) return;

  await new Promise<void>((resolve) => {
    let busy = Promise.resolve();
    const pump = () => { busy = busy.then(async () => { (await readNew()).forEach(emit); }).catch(() => {}); return busy; };
    let w: ReturnType<typeof watch> | undefined;
    const startWatch = () => { try { w = watch(path, () => void pump()); } catch { /* file not there yet */ } };
    startWatch();
    const poll = setInterval(() => { if (!w) startWatch(); void pump(); }, 250);
    const done = () => { clearInterval(poll); w?.close(); void pump().then(() => resolve()); };
    signal.addEventListener('abort', done, { once: true });
    void stopped.then(done);
  });
}

