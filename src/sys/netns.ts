import { unlink, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { runCommand } from './run-command';
import { umount } from './libc';
import { hasErrno } from '../errdefs';
import type { IdMap } from '../lib/id-map';
import { createNetnsInUserns } from './userns';

/**
 * Network namespaces that berthd owns, persisted as bind mounts of nsfs at a path of ours
 * (never under /run/netns, so `ip netns` stays the host's).
 */
export interface NetnsManager {
  /**
   * Creates a namespace at path with `lo` up; `setup` lines run there as one `ip -batch`. With
   * idMap it is owned by a new user namespace with that mapping (berthd still configures it).
   */
  create(path: string, setup?: string[], opts?: { idMap?: IdMap }): Promise<void>;
  /** Runs `ip -batch` lines inside the namespace at path. */
  exec(path: string, lines: string[]): Promise<void>;
  /** Unmounts and removes the namespace file; a missing one is not an error. */
  remove(path: string): Promise<void>;
}

export class IpNetns implements NetnsManager {
  async create(path: string, setup: string[] = [], opts: { idMap?: IdMap } = {}): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, '');
    if (opts.idMap) {
      await createNetnsInUserns(opts.idMap, path);
      await this.exec(path, ['link set lo up', ...setup]);
      return;
    }
    await runCommand('unshare', [`--net=${path}`, 'ip', '-batch', '-'], { input: ['link set lo up', ...setup].join('\n') + '\n' });
  }

  async exec(path: string, lines: string[]): Promise<void> {
    await runCommand('nsenter', [`--net=${path}`, 'ip', '-batch', '-'], { input: lines.join('\n') + '\n' });
  }

  async remove(path: string): Promise<void> {
    try { umount(path, true); } catch (e) { if (!hasErrno(e, 'EINVAL') && !hasErrno(e, 'ENOENT')) throw e; }
    try { await unlink(path); } catch (e) { if (!hasErrno(e, 'ENOENT')) throw e; }
  }
}
