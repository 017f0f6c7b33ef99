import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** How many slots staging dirs are spread over. */
const SLOTS = 32;

/**
 * Where layers are unpacked: SLOTS dirs under `<root>/staging`, which is marked as the top of
 * directory hierarchies for ext4's Orlov allocator (`chattr +T`), so that each slot, and every
 * inode unpacked in it, lives in a block group of its own. Why: ext4 without a journal does
 * not reuse an inode freed less than a minute ago, and re-checks each such inode on every
 * allocation in its block group (fs/ext4/ialloc.c, recently_deleted): unpacking thousands of
 * files where a removed layer's files were just freed is quadratic, seconds for a 2,600-file
 * layer loaded right after `rmi` instead of a fraction of one. Each unpack takes the slot whose
 * layers were freed longest ago (least recently taken among equals). On other file systems the
 * slots are plain dirs and cost nothing.
 */
export class StagingSlots {
  private readonly freedAt = new Array<number>(SLOTS).fill(-Infinity);
  private readonly takenAt = new Array<number>(SLOTS).fill(0);
  private taken = 0;

  constructor(readonly dir: string) {}

  /** Makes the slots afresh, dropping whatever was staged. markTopDir may fail (not ext4). */
  async init(markTopDir: (dir: string) => Promise<void>): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true });
    await markTopDir(this.dir).catch(() => undefined);
    for (let i = 0; i < SLOTS; i++) await mkdir(join(this.dir, String(i)));
  }

  /** A path for a new staging dir named name (not created), and its slot. */
  take(name: string): { slot: number; dir: string } {
    let slot = 0;
    for (let i = 1; i < SLOTS; i++) {
      if (this.freedAt[i] < this.freedAt[slot] || (this.freedAt[i] === this.freedAt[slot] && this.takenAt[i] < this.takenAt[slot])) slot = i;
    }
    this.takenAt[slot] = ++this.taken;
    return { slot, dir: join(this.dir, String(slot), name) };
  }

  /** Records that inodes made in slot (a layer staged there) are being freed now. */
  freed(slot: number): void {
    if (Number.isInteger(slot) && slot >= 0 && slot < SLOTS) this.freedAt[slot] = performance.now();
  }
}
