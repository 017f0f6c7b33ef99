/**
 * A machine crash for the crash tests of stores that write through AtomicFs: the store runs
 * on a live root, and at the crash the disk as a reboot would find it is copied aside. For
 * tests only.
 */
import { access, cp, mkdir, readFile, truncate, writeFile, rename as fsRename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { nodeAtomicFs, type AtomicFs } from '../atomic-file';

/** What a CrashFs throws at its crash and after it: the machine is down. */
export class Crash extends Error {}

/** A small deterministic PRNG, so a failing fast-check seed replays the same losses. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 2 ** 32; };
}

/** Where the crash falls in its operation: before it, in the middle of it, or after it. */
export type CrashMode = 'before' | 'partial' | 'after';

/**
 * The store's file operations with a machine crash at operation `at`: before it, in the middle
 * of it (a write lands partly), or after it. At the crash the disk as the machine would find it
 * on reboot is copied to `image`: data written but never fsynced is cut at a random length
 * (possibly whole, possibly empty), and a rename in a dir never fsynced since is randomly undone.
 */
export class CrashFs implements AtomicFs {
  private ops = 0;
  /** The operations done so far (a run with no crash counts those of a whole scenario). */
  get operations(): number { return this.ops; }
  private unsynced = new Map<string, Buffer>();
  private renames: { dir: string; from: string; to: string; old?: Buffer }[] = [];
  crashed = false;

  constructor(private readonly o: { root: string; image: string; at: number; mode: CrashMode; rand: () => number; skipFileSync?: boolean }) {}

  private async step<T>(op: () => Promise<T>, partial?: () => Promise<void>): Promise<T> {
    if (this.crashed) throw new Crash('the machine is down');
    const n = this.ops++;
    if (n === this.o.at && this.o.mode === 'before') return this.crash();
    if (n === this.o.at && this.o.mode === 'partial') { await (partial ?? (async () => undefined))(); return this.crash(); }
    const r = await op();
    if (n === this.o.at) return this.crash();
    return r;
  }

  private async crash(): Promise<never> {
    this.crashed = true;
    await cp(this.o.root, this.o.image, { recursive: true });
    const at = (p: string) => join(this.o.image, p.slice(this.o.root.length));
    for (const r of this.renames.reverse()) {
      if (this.o.rand() < 0.5) continue; // this rename reached the disk
      await mkdir(dirname(at(r.from)), { recursive: true });
      await fsRename(at(r.to), at(r.from));
      if (r.old) await writeFile(at(r.to), r.old);
      const data = this.unsynced.get(r.to);
      if (data) { this.unsynced.delete(r.to); this.unsynced.set(r.from, data); }
    }
    for (const [path, data] of this.unsynced) {
      const keep = [0, data.length, Math.floor(this.o.rand() * data.length)][Math.floor(this.o.rand() * 3)];
      await truncate(at(path), keep).catch(() => undefined);
    }
    throw new Crash(`crashed at operation ${this.o.at} (${this.o.mode})`);
  }

  write(path: string, data: Buffer, mode: number): Promise<void> {
    return this.step(async () => {
      await nodeAtomicFs.write(path, data, mode);
      this.unsynced.set(path, data);
    }, async () => {
      await nodeAtomicFs.write(path, data.subarray(0, Math.floor(this.o.rand() * data.length)), mode);
      this.unsynced.set(path, data);
    });
  }

  sync(path: string): Promise<void> {
    return this.step(async () => {
      if (this.unsynced.has(path)) {
        if (this.o.skipFileSync) return;
        this.unsynced.delete(path);
      } else this.renames = this.renames.filter((r) => r.dir !== path);
      // what is durable is this model's to say, not the kernel's: no real fsync (hundreds of runs stay fast)
      await access(path);
    });
  }

  rename(from: string, to: string): Promise<void> {
    return this.step(async () => {
      const old = await readFile(to).catch(() => undefined);
      await nodeAtomicFs.rename(from, to);
      this.renames.push({ dir: dirname(to), from, to, old });
      const data = this.unsynced.get(from);
      if (data) { this.unsynced.delete(from); this.unsynced.set(to, data); }
    });
  }
}
