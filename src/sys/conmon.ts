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
