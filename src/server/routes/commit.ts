/** `POST /commit`: a container's changes become a new image (DTO -> container record -> image service). */
import type { Router } from '../router';
import { readJsonBody } from '../router';
import { sendJson } from '../respond';
import { parseBool } from '../../engine-api';
import type { ContainerConfig as ImageContainerConfig } from '../../core/images';
import { bindMounts, type ContainerService } from '../../services/containers';
import { pauseContainer, unpauseContainer } from '../../services/containers/ops';
import { tagName, type ImageService } from '../../services/images';
import { familiar } from '../../core/images';

/** Mount points the runtime binds over the rootfs: not part of the container's changes. */
const ETC_FILES = ['/etc/hosts', '/etc/hostname', '/etc/resolv.conf'];

export function commitRoutes(router: Router, containers: ContainerService, images: ImageService): void {
  router.add('POST', '/commit', async (ctx) => {
    const q = ctx.query;
    const body = await readJsonBody<ImageContainerConfig | null>(ctx.req);
    const rec = containers.inspect(q.get('container') ?? '');
    const paused = parseBool(q.get('pause'), true) && rec.state.status === 'running';
    if (paused) await pauseContainer(containers, rec.id);
    let id: string;
    try {
      id = await images.commit({
        containerId: rec.id,
        containerConfig: rec.config as ImageContainerConfig,
        config: body ?? undefined,
        exclude: new Set([...ETC_FILES, ...bindMounts(rec).map((m) => m.Destination)]),
        repo: q.get('repo') || undefined,
        tag: q.get('tag') || undefined,
        comment: q.get('comment') || undefined,
        author: q.get('author') || undefined,
        changes: q.getAll('changes').filter(Boolean),
      });
    } finally {
      if (paused && containers.store.find(rec.id)?.state.status === 'paused') await unpauseContainer(containers, rec.id);
    }
    // moby's commit: a container event with the comment and the new image's ID and name
    const repo = q.get('repo');
    containers.ctx.events('commit', rec, {
      comment: q.get('comment') ?? '', imageID: id, imageRef: repo ? familiar(tagName(repo, q.get('tag') || undefined)) : '',
    });
    sendJson(ctx.res!, 201, { Id: id });
  });
}
