/**
 * Keeps rotated generations of a container's log. conmon 2.1.6 bounds a k8s-file log with
 * --log-size-max by replacing the file with an empty one (truncation, not rotation). berthd
 * holds a second link (`.live`) to the file conmon writes; when conmon replaces it, the held
 * file, complete, becomes `.1`, older generations shift up and those past max-file - 1 are
 * removed. The one loss: two replacements within one check (fs events, else every 100 ms).
 */
import { watch, type FSWatcher } from 'node:fs';
import { link, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hasErrno } from '../../../errdefs';
import { log } from '../../../lib/logger';
import { livePath, rotatedPath } from './log-files';

export interface KeeperOptions {
  /** The file conmon writes. */
  path: string;
  /** Files kept, the live one included. */
  maxFile: number;
  /** The container's process: the keeper stops when it is gone. */
  pid: number;
}

const keepers = new Map<string, LogKeeper>();

/** Starts (or replaces) the keeper of one container's log; max-file 1 needs none. */
export function keepLog(id: string, o: KeeperOptions): void {
  keepers.get(id)?.stop();
  keepers.delete(id);
  if (o.maxFile <= 1) return;
  const k = new LogKeeper(o, () => { if (keepers.get(id) === k) keepers.delete(id); });
  keepers.set(id, k);
  k.start();
}

class LogKeeper {
  private ino = 0;
  private busy: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private watcher?: FSWatcher;
  private stopped = false;
  private ending = false;

  constructor(private readonly o: KeeperOptions, private readonly onStop: () => void) {}

  start(): void {
    this.timer = setInterval(() => this.check(), 100);
    this.timer.unref();
    try {
      this.watcher = watch(dirname(this.o.path), () => this.check());
      this.watcher.unref();
    } catch (e) { log.warn('log keeper cannot watch', { path: this.o.path, error: String(e) }); }
    this.check();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.watcher?.close();
    this.onStop();
  }

  private check(): void {
    this.busy = this.busy.then(() => this.step()).catch((e) => log.warn('log rotation failed', { path: this.o.path, error: String(e) }));
  }

  private async step(): Promise<void> {
    if (this.stopped) return;
    const live = livePath(this.o.path);
    let ino: number;
    try { ino = (await stat(this.o.path)).ino; } catch (e) { if (hasErrno(e, 'ENOENT')) return; throw e; }
    if (ino !== this.ino) {
      if (this.ino) {
        const held = await stat(live).then((s) => s.ino, () => 0);
        if (held === this.ino) await this.shift(live);
      }
      await unlink(live).catch((e) => { if (!hasErrno(e, 'ENOENT')) throw e; });
      await link(this.o.path, live);
      this.ino = ino;
    }
    if (!this.ending && !alive(this.o.pid)) {
      this.ending = true;
      // conmon writes the last output right after the process ends: one more look, then stop.
      setTimeout(() => { this.check(); this.busy = this.busy.then(() => this.finish(live)); }, 300).unref();
      clearInterval(this.timer);
      this.watcher?.close();
    }
  }

  private async finish(live: string): Promise<void> {
    await unlink(live).catch(() => {});
    this.stop();
  }

  /** `.live` becomes `.1`, `.n` becomes `.n+1`, the oldest past max-file - 1 goes. */
  private async shift(live: string): Promise<void> {
    const keep = this.o.maxFile - 1;
    await unlink(rotatedPath(this.o.path, keep)).catch((e) => { if (!hasErrno(e, 'ENOENT')) throw e; });
    for (let n = keep - 1; n >= 1; n--) {
      await rename(rotatedPath(this.o.path, n), rotatedPath(this.o.path, n + 1)).catch((e) => { if (!hasErrno(e, 'ENOENT')) throw e; });
    }
    await rename(live, rotatedPath(this.o.path, 1));
  }
}

function alive(pid: number): boolean {
  if (!pid) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return hasErrno(e, 'EPERM'); }
}
