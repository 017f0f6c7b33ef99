import { chmod, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InvalidArgument } from '../errdefs';
import { remappedRoot, type IdMap } from '../lib/id-map';
import type { LocalVolumeDriver } from '../plugins/volume-local';
import { log } from '../lib/logger';
import { CopiedLowers, IdmappedLowers, idmapUnsupported } from '../plugins/snapshotter-overlay';
import type { ContainerService } from '../services/containers';
import type { ImageService } from '../services/images';
import type { DaemonConfig } from './config';
import { resolveRemappedRoot } from './userns-remap';
import { withNetnsOwner } from '../sys/userns';

/**
 * Environment switch for tests and odd file systems: `0` makes berthd use chowned layer copies
 * for remapped containers even where idmapped mounts work.
 */
export const IDMAP_ENV = 'BERTH_USERNS_IDMAP';

/**
 * As dockerd: the data root becomes 0711 so the remapped root can reach its containers' rootfs
 * and files below it, and every directory above it must let others through (o+x).
 */
async function traversableRoot(dataRoot: string): Promise<void> {
  await chmod(dataRoot, 0o711);
  for (let dir = dirname(dataRoot); dir !== '/'; dir = dirname(dir)) {
    if (!((await stat(dir)).mode & 0o001)) {
      throw new InvalidArgument(`a subdirectory in your graphroot path (${dataRoot}) restricts access to the remapped root uid/gid; please fix by allowing 'o+x' permissions on existing directories`);
    }
  }
}

/**
 * Turns `--userns-remap` on: resolves the remapped root (creating `dockremap` for `default`),
 * picks idmapped lowers when a probe shows the kernel and file system take them, chowned
 * copies otherwise, drops copies of layers gone since the last run, gives containers the
 * mapping and new local volumes the remapped root as owner. Call after images.init(). Returns the mapping; undefined when remapping is off.
 */
export async function wireUserns(cfg: DaemonConfig, images: ImageService, containers: ContainerService, volumes: LocalVolumeDriver): Promise<IdMap | undefined> {
  const copies = new CopiedLowers(images.store.layers.root, cfg.dataRoot);
  await copies.prune();
  if (!cfg.usernsRemap) return undefined;
  const root = await resolveRemappedRoot(cfg.usernsRemap);
  if (!root) {
    log.warn('User namespaces: root cannot be remapped with itself; user namespaces are OFF');
    return undefined;
  }
  log.info(`User namespaces: ID ranges will be mapped to subuid/subgid ranges of: ${root.user}:${root.group}`);
  await traversableRoot(cfg.dataRoot);
  const why = process.env[IDMAP_ENV] === '0' ? `${IDMAP_ENV}=0` : await idmapUnsupported(images.store.layers.root, root.map);
  images.store.containers.remapper = why ? copies : new IdmappedLowers(images.store.layers.root);
  if (why) log.info('User namespaces: image layers are chowned copies per remapped root (no idmapped mounts)', { reason: why });
  else log.info('User namespaces: image layers are idmapped mounts');
  containers.ctx.userns = { idMap: root.map, withNetnsOwner };
  volumes.dataOwner = remappedRoot(root.map);
  return root.map;
}
