/** `POST /commit`: a container's changes become a new image (DTO -> container op -> image service). */
import type { Router } from '../router';
import { readJsonBody } from '../router';
import { sendJson } from '../respond';
import { parseBool } from '../../engine-api';
import type { ContainerConfig as ImageContainerConfig } from '../../core/images';
import { familiar } from '../../core/images';
import type { ContainerService } from '../../services/containers';
import { commitContainer } from '../../services/containers/ops';
import { tagName, type ImageService } from '../../services/images';

export function commitRoutes(router: Router, containers: ContainerService, images: ImageService): void {
  router.add('POST', '/commit', async (ctx) => {
    const q = ctx.query;
    const body = await readJsonBody<ImageContainerConfig | null>(ctx.req);
    const repo = q.get('repo') || undefined;
    const tag = q.get('tag') || undefined;
    const id = await commitContainer(containers, (c) => images.commit({
      ...c, containerConfig: c.containerConfig as ImageContainerConfig, config: c.config as ImageContainerConfig | undefined,
    }), {
      container: q.get('container') ?? '',
      config: (body ?? undefined) as Parameters<typeof commitContainer>[2]['config'],
      pause: parseBool(q.get('pause'), true),
      repo, tag,
      comment: q.get('comment') || undefined,
      author: q.get('author') || undefined,
      changes: q.getAll('changes').filter(Boolean),
      imageRef: repo ? familiar(tagName(repo, tag)) : undefined,
    });
    sendJson(ctx.res!, 201, { Id: id });
  });
}
