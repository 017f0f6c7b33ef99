/**
 * A VolumeDriver over plain directories, no mounting and no root: `<root>/<name>` holds the data,
 * records live in memory and in `records`, and `calls` records mount/unmount for tests.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AlreadyExists, InvalidArgument } from '../../../errdefs';
import { dirSize } from '../../../lib/dir-size';
import type { Volume, VolumeDriver, VolumeRecord } from '../../../core/volumes';

export class DirVolumeDriver implements VolumeDriver {
  readonly records = new Map<string, VolumeRecord>();
  readonly calls: string[] = [];
  /** Names whose create fails (a disk error), for rollback tests. */
  readonly failCreate = new Set<string>();

  constructor(private readonly root: string, readonly name = 'local') {}

  private volume(r: VolumeRecord): Volume { return { ...r, mountpoint: join(this.root, r.name), scope: 'local' }; }

  validateOptions(options: Record<string, string> | null): void {
    for (const k of Object.keys(options ?? {})) if (k !== 'type') throw new InvalidArgument(`invalid option: ${JSON.stringify(k)}`);
  }

  async create(r: VolumeRecord): Promise<Volume> {
    if (this.records.has(r.name)) throw new AlreadyExists(`volume ${r.name} already exists`);
    if (this.failCreate.has(r.name)) throw new Error(`mkdir ${r.name}: no space left on device`);
    await mkdir(join(this.root, r.name), { recursive: true });
    this.records.set(r.name, r);
    return this.volume(r);
  }

  async list(): Promise<Volume[]> { return [...this.records.values()].map((r) => this.volume(r)); }

  async remove(name: string): Promise<void> {
    this.records.delete(name);
    await rm(join(this.root, name), { recursive: true, force: true });
  }

  async mount(v: Volume): Promise<string> { this.calls.push(`mount ${v.name}`); return v.mountpoint; }

  async unmount(v: Volume): Promise<void> { this.calls.push(`unmount ${v.name}`); }

  size(v: Volume): Promise<number> { return dirSize(v.mountpoint); }
}
