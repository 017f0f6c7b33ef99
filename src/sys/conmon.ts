import { spawn } from 'node:child_process';
import { Internal } from '../errdefs';

/** What conmon reports on its sync pipe: the container's PID, or the runtime's failure. */
export type ConmonReport = { pid: number } | { failure: string };

/**
 * Spawns conmon with `args` (API version 1, its sync pipe on fd 3). conmon double-forks, runs
 * `<runtime> create` and then watches the container for its whole life, detached from berthd.
 * Resolves with the first report conmon writes to its sync pipe.
 */
export function spawnConmon(args: string[], conmonPath = 'conmon'): Promise<ConmonReport> {
  return new Promise((resolve, reject) => {
    const p = spawn(conmonPath, args, {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
      env: { ...process.env, _OCI_SYNCPIPE: '3' },
      detached: true,
    });
    const sync = p.stdio[3] as NodeJS.ReadableStream & { destroy(): void };
    let buf = '';
    let settled = false;
    const finish = (err: Error | null, report?: ConmonReport) => {
      if (settled) return;
      settled = true;
      sync.destroy();
      if (err) reject(err); else resolve(report!);
    };
    p.on('error', (e) => finish(new Internal(`conmon: ${e.message}`, { cause: e })));
    sync.on('data', (b: Buffer) => {
      buf += b.toString();
      let msg: { data: number; message?: string };
      try { msg = JSON.parse(buf); } catch { return; }
      finish(null, msg.data > 0 ? { pid: msg.data } : { failure: msg.message ?? 'unknown error' });
    });
    sync.on('end', () => finish(new Internal(`conmon ${args.join(' ')} ended without reporting the container`)));
    p.unref();
  });
}

/** conmon in exec mode: its sync, start and attach pipes (fds 3, 4, 5), as JSON messages. */
export interface ConmonExecPipes {
  /** Each `{"data": n, "message"?: s}` conmon writes to its sync pipe, in order. */
  onSync(cb: (data: number, message?: string) => void): void;
  /** The first write to the attach pipe: the attach socket is listening. */
  attachReady: Promise<void>;
  /** Writes one byte to the start pipe. */
  start(): void;
}

export function spawnConmonExec(args: string[], conmonPath = 'conmon'): ConmonExecPipes {
  const p = spawn(conmonPath, args, {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, _OCI_SYNCPIPE: '3', _OCI_STARTPIPE: '4', _OCI_ATTACHPIPE: '5' },
    detached: true,
  });
  p.unref();
  const stdio = p.stdio as unknown as (NodeJS.ReadWriteStream & { destroy(): void })[];
  const [sync, startPipe, attachPipe] = [stdio[3], stdio[4], stdio[5]];
  startPipe.on('error', () => {});
  let syncCb: (data: number, message?: string) => void = () => {};
  let buf = '';
  sync.on('data', (b: Buffer) => {
    buf += b.toString();
    for (let end = jsonEnd(buf); end > 0; end = jsonEnd(buf)) {
      const msg = JSON.parse(buf.slice(0, end)) as { data: number; message?: string };
      buf = buf.slice(end).replace(/^\s+/, '');
      syncCb(msg.data, msg.message);
    }
  });
  sync.on('end', () => syncCb(Number.NaN, 'conmon ended without reporting the exec session'));
  const attachReady = new Promise<void>((resolve, reject) => {
    attachPipe.once('data', () => { attachPipe.destroy(); resolve(); });
    attachPipe.once('end', () => reject(new Internal('conmon ended before its attach socket was ready')));
  });
  attachReady.catch(() => {});
  return {
    onSync: (cb) => { syncCb = cb; },
    attachReady,
    start: () => { startPipe.write('s'); },
  };
}

/** The length of the first complete JSON object in s, or 0. */
function jsonEnd(s: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inString) { if (c === '\\') i++; else if (c === '"') inString = false; continue; }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return 0;
}
