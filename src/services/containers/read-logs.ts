import { open, stat, type FileHandle } from 'node:fs/promises';
import { watch } from 'node:fs';
import { parseK8sLogLine, type LogRecord } from '../../lib/k8s-log';
import { hasErrno } from '../../errdefs';
import { logFilesInOrder } from './logging';

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
 * Streams a container's k8s-file log as records: the rotated generations oldest first, then the
 * live file; with follow, each record appended until `stopped` resolves (the container ended)
 * or `signal` aborts. A live file replaced meanwhile (rotation) is read to its end first.
 */
export async function readLogs(path: string, opts: LogOptions, emit: (r: LogRecord) => void, stopped: Promise<unknown>, signal: AbortSignal): Promise<void> {
  const wanted = (r: LogRecord) => (r.stream === 'stdout' ? opts.stdout : opts.stderr)
    && (!opts.sinceMs || r.ms >= opts.sinceMs) && (!opts.untilMs || r.ms <= opts.untilMs);
  const parse = (text: string) => text.split('\n').map(parseK8sLogLine).filter((r): r is LogRecord => !!r && wanted(r));

  const live = new LiveFile(path);
  const older: LogRecord[] = [];
  for (const f of (await logFilesInOrder(path)).slice(0, -1)) older.push(...parse(await readWhole(f)));
  let first = [...older, ...await live.readNew().then(parse)];
  if (opts.tail !== undefined && opts.tail >= 0) first = opts.tail === 0 ? [] : first.slice(-opts.tail);
  first.forEach(emit);
  if (!opts.follow || signal.aborted) return live.close();
  if (opts.untilMs && opts.untilMs <= Date.now()) return live.close();

  await new Promise<void>((resolve) => {
    let busy = Promise.resolve();
    const pump = () => { busy = busy.then(async () => { parse(await live.readNew()).forEach(emit); }).catch(() => {}); return busy; };
    let w: ReturnType<typeof watch> | undefined;
    const startWatch = () => { try { w = watch(path, () => void pump()); } catch { /* file not there yet */ } };
    startWatch();
    const poll = setInterval(() => { if (!w) startWatch(); void pump(); }, 250);
    const done = () => { clearInterval(poll); w?.close(); void pump().then(() => resolve()); };
    signal.addEventListener('abort', done, { once: true });
    void stopped.then(done);
  });
  await live.close();
}

async function readWhole(path: string): Promise<string> {
  let fh;
  try { fh = await open(path, 'r'); } catch (e) { if (hasErrno(e, 'ENOENT')) return ''; throw e; }
  try { return (await fh.readFile()).toString('utf8'); } finally { await fh.close(); }
}

/**
 * The file conmon writes, held open: each read returns the complete lines appended since the
 * last; when the path names another file (rotated or truncated away), the held file is read to
 * its end before moving on to the new one.
 */
class LiveFile {
  private fh?: FileHandle;
  private ino = 0;
  private offset = 0;
  private rest = '';
  constructor(private readonly path: string) {}

  async readNew(): Promise<string> {
    let text = '';
    const cur = await this.currentIno();
    if (this.fh && cur !== this.ino) {
      text += await this.drain();
      await this.fh.close();
      this.fh = undefined;
      // A partial line left at the end of a rotated file is complete as it is.
      if (this.rest) { text += this.rest + '\n'; this.rest = ''; }
    }
    if (!this.fh && cur) {
      try { this.fh = await open(this.path, 'r'); } catch (e) { if (hasErrno(e, 'ENOENT')) return text; throw e; }
      this.ino = (await this.fh.stat()).ino;
      this.offset = 0;
    }
    if (this.fh) text += await this.drain();
    return text;
  }

  async close(): Promise<void> { await this.fh?.close(); this.fh = undefined; }

  private async currentIno(): Promise<number> {
    try { return (await stat(this.path)).ino; } catch (e) { if (hasErrno(e, 'ENOENT')) return 0; throw e; }
  }

  /** Complete lines from the offset to the file's end. */
  private async drain(): Promise<string> {
    const size = (await this.fh!.stat()).size;
    if (size < this.offset) { this.offset = 0; this.rest = ''; }
    if (size === this.offset) return '';
    const buf = Buffer.alloc(size - this.offset);
    const { bytesRead } = await this.fh!.read(buf, 0, buf.length, this.offset);
    this.offset += bytesRead;
    const lines = (this.rest + buf.subarray(0, bytesRead).toString('utf8')).split('\n');
    this.rest = lines.pop() ?? '';
    return lines.length ? lines.join('\n') + '\n' : '';
  }
}
