import { chown, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AlreadyExists, hasErrno } from '../../errdefs';
import { dirSize } from '../../lib/dir-size';
import { readJson, writeJsonAtomic } from '../../lib/atomic-file';
import { log } from '../../lib/logger';
import { isMounted, unmount } from '../../sys/mount';
import { mountDevice } from '../../sys/device-mount';
import { validateVolumeName, volumeTimestamp, type Volume, type VolumeDriver, type VolumeRecord } from '../../core/volumes';
import { parseLocalOptions } from './local-options';

const RECORD = 'volume.json';

/**
 * Docker's `local` driver: each volume is `<root>/<name>/` holding its data in `_data` and its
 * record in `volume.json`. With options, `mount` puts the named filesystem over `_data`.
 */
export class LocalVolumeDriver implements VolumeDriver {
  readonly name = 'local';

  /** Who owns a new volume's `_data` (the remapped root under `--userns-remap`, as Docker's local driver); default: root. */
  dataOwner?: { uid: number; gid: number };

  constructor(private readonly root: string) {}

  private dataDir(name: string) { return join(this.root, name, '_data'); }

  private volume(r: VolumeRecord): Volume {
    return { ...r, mountpoint: this.dataDir(r.name), scope: 'local' };
  }

  validateOptions(options: Record<string, string> | null): void { parseLocalOptions(options); }

  async create(record: VolumeRecord): Promise<Volume> {
    await mkdir(this.root, { recursive: true, mode: 0o701 });
    try {
      await mkdir(join(this.root, record.name), { mode: 0o701 });
    } catch (e) {
      if (hasErrno(e, 'EEXIST')) throw new AlreadyExists(`volume ${record.name} already exists`, { cause: e });
      throw e;
    }
    try {
      await mkdir(this.dataDir(record.name), { mode: 0o755 });
      if (this.dataOwner) await chown(this.dataDir(record.name), this.dataOwner.uid, this.dataOwner.gid);
      await writeJsonAtomic(join(this.root, record.name, RECORD), record);
    } catch (e) {
      await rm(join(this.root, record.name), { recursive: true, force: true });
      throw e;
    }
    return this.volume(record);
  }

  /**
   * Every volume dir under the root. A dir without a record (a crash between mkdir and the
   * record's write) is kept as a volume without labels or options: its data is the user's.
   */
  async list(): Promise<Volume[]> {
    let names: string[];
    try { names = await readdir(this.root); } catch (e) { if (hasErrno(e, 'ENOENT')) return []; throw e; }
    const out: Volume[] = [];
    for (const name of names) {
      try { validateVolumeName(name); } catch { continue; }
      const dir = join(this.root, name);
      try {
        out.push(this.volume(await readJson<VolumeRecord>(join(dir, RECORD))));
      } catch (e) {
        if (!hasErrno(e, 'ENOENT')) { log.warn('volume record unreadable; kept without labels', { name, error: String(e) }); }
        const st = await stat(dir).catch(() => undefined);
        if (!st?.isDirectory()) continue;
        await mkdir(this.dataDir(name), { recursive: true });
        out.push(this.volume({ name, driver: this.name, createdAt: volumeTimestamp(st.mtime), labels: null, options: null }));
      }
    }
    return out;
  }

  async remove(name: string): Promise<void> {
    await unmount(this.dataDir(name));
    await rm(join(this.root, name), { recursive: true, force: true });
  }

  async mount(v: Volume): Promise<string> {
    const o = parseLocalOptions(v.options);
    if (o?.device && !(await isMounted(v.mountpoint))) {
      await mountDevice({ device: o.device, target: v.mountpoint, type: o.type === 'none' ? undefined : o.type, options: o.o });
    }
    return v.mountpoint;
  }

  async unmount(v: Volume): Promise<void> {
    if (parseLocalOptions(v.options)?.device) await unmount(v.mountpoint);
  }

  size(v: Volume): Promise<number> { return dirSize(v.mountpoint); }
}
