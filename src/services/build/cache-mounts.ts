/**
 * `RUN --mount=type=cache` directories under `<dataRoot>/builder/cache-mounts/<sha256(id)>/`,
 * kept across builds and daemon restarts. Sharing as BuildKit's: `shared` lets every step use
 * the directory at once, `locked` makes steps take turns, `private` gives a step a directory
 * of its own (removed after it) while another holds the shared one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chown, mkdir, readdir, rm, stat, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasErrno } from '../../errdefs';
import { dirSize } from '../../lib/dir-size';
import type { CacheMountLease } from '../../builder/executor';

export interface CacheMountInfo { id: string; dir: string; size: number; inUse: boolean; lastUsed: string }

export class CacheMounts {
  private readonly users = new Map<string, number>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly root: string) {}

  private dirOf(id: string): string {
    return join(this.root, createHash('sha256').update(id).digest('hex'));
  }

  async acquire(id: string, opts: { sharing: 'shared' | 'private' | 'locked'; mode: number; uid: number; gid: number }): Promise<CacheMountLease> {
    const dir = this.dirOf(id);
    if (opts.sharing === 'private' && (this.users.get(dir) ?? 0) > 0) {
      const own = `${dir}-private-${randomBytes(6).toString('hex')}`;
      await this.create(own, id, opts);
      return { path: join(own, 'data'), release: () => { void rm(own, { recursive: true, force: true }); } };
    }
    let unlock = () => {};
    if (opts.sharing === 'locked') {
      const prev = this.queues.get(dir) ?? Promise.resolve();
      const mine = new Promise<void>((r) => { unlock = r; });
      this.queues.set(dir, prev.then(() => mine));
      await prev;
    }
    await this.create(dir, id, opts);
    this.users.set(dir, (this.users.get(dir) ?? 0) + 1);
    await writeFile(join(dir, 'last-used'), new Date().toISOString());
    let released = false;
    return {
      path: join(dir, 'data'),
      release: () => {
        if (released) return;
        released = true;
        this.users.set(dir, (this.users.get(dir) ?? 1) - 1);
        unlock();
      },
    };
  }

  private async create(dir: string, id: string, opts: { mode: number; uid: number; gid: number }): Promise<void> {
    try { await stat(join(dir, 'data')); return; } catch (err) {
      if (!hasErrno(err, 'ENOENT')) throw err;
    }
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(join(dir, 'id'), id);
    await mkdir(join(dir, 'data'), { mode: opts.mode });
    await chown(join(dir, 'data'), opts.uid, opts.gid);
  }

  async list(): Promise<CacheMountInfo[]> {
    let names: string[];
    try { names = await readdir(this.root); } catch (err) {
      if (hasErrno(err, 'ENOENT')) return [];
      throw err;
    }
    const out: CacheMountInfo[] = [];
    for (const n of names.filter((x) => /^[a-f0-9]{64}$/.test(x))) {
      const dir = join(this.root, n);
      const id = await readFile(join(dir, 'id'), 'utf8').catch(() => n);
      const lastUsed = await readFile(join(dir, 'last-used'), 'utf8').catch(() => new Date(0).toISOString());
      out.push({ id, dir, size: await dirSize(join(dir, 'data')), inUse: (this.users.get(dir) ?? 0) > 0, lastUsed });
    }
    return out;
  }

  /** Removes a mount directory nobody holds; false when it is in use. */
  async remove(dir: string): Promise<boolean> {
    if ((this.users.get(dir) ?? 0) > 0) return false;
    await rm(dir, { recursive: true, force: true });
    return true;
  }
}
