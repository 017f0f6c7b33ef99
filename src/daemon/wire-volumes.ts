import { join } from 'node:path';
import type { Router } from '../server/router';
import { volumeRoutes } from '../server/routes/volumes';
import { VolumeService } from '../services/volumes';
import type { EventBus } from '../services/events';
import { LocalVolumeDriver } from '../plugins/volume-local';
import { copyTree } from '../sys/copy-tree';
import { mountPropagationOf } from '../sys/device-mount';
import { mountTmpfs, unmount } from '../sys/mount';
import type { MountHost } from '../core/volumes';

/** The volumes service over the local driver (`<dataRoot>/volumes`), its routes, and the host ops mounts need. */
export function wireVolumes(dataRoot: string, events: EventBus): { volumes: VolumeService; local: LocalVolumeDriver; mountHost: MountHost; routes(router: Router): void } {
  const local = new LocalVolumeDriver(join(dataRoot, 'volumes'));
  const volumes = new VolumeService({
    drivers: [local],
    events: (action, name, attributes) => events.publish('volume', action, name, attributes),
  });
  return { volumes, local, mountHost: { copyTree, propagationOf: mountPropagationOf, mountTmpfs, unmount }, routes: (router) => volumeRoutes(router, volumes) };
}
