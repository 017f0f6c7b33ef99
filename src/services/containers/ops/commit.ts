import type { ContainerService } from '../container-service';
import type { ContainerConfig } from '../types';
import { mountPointsOf } from '../mounting';
import { pauseContainer, unpauseContainer } from './pause';
import { clearCommitPause, markCommitPause } from '../recover-containers';

/** Mount points the runtime binds over the rootfs: not part of the container's changes. */
const ETC_FILES = ['/etc/hosts', '/etc/hostname', '/etc/resolv.conf'];

/** What the image side needs to turn a container's layer into an image (ImageService.commit). */
export interface LayerCommit {
  containerId: string;
  containerConfig: ContainerConfig;
  config?: Partial<ContainerConfig>;
  /** Container paths left out of the layer. */
  exclude: ReadonlySet<string>;
  repo?: string;
  tag?: string;
  comment?: string;
  author?: string;
  changes?: string[];
}

export interface CommitRequest {
  container: string;
  config?: Partial<ContainerConfig>;
  /** Pause a running container while its layer is read (Docker's default). */
  pause: boolean;
  repo?: string;
  tag?: string;
  comment?: string;
  author?: string;
  changes?: string[];
  /** The image's name for the event (`repo:tag` in familiar form), if tagged. */
  imageRef?: string;
}

/**
 * `docker commit`: pauses a running container (unless asked not to), has `commitLayer` store its
 * layer as an image, resumes it, and reports Docker's container `commit` event. Returns the ID.
 */
export async function commitContainer(svc: ContainerService, commitLayer: (c: LayerCommit) => Promise<string>, req: CommitRequest): Promise<string> {
  const rec = svc.inspect(req.container);
  const paused = req.pause && rec.state.status === 'running';
  if (paused) {
    await markCommitPause(svc.ctx, rec.id); // berthd's next start thaws it if the commit dies with it
    await pauseContainer(svc, rec.id).catch(async (e) => { await clearCommitPause(svc.ctx, rec.id); throw e; });
  }
  let id: string;
  try {
    id = await commitLayer({
      containerId: rec.id, containerConfig: rec.config, config: req.config,
      exclude: new Set([...ETC_FILES, ...mountPointsOf(rec).map((m) => m.destination)]),
      repo: req.repo, tag: req.tag, comment: req.comment, author: req.author, changes: req.changes,
    });
  } finally {
    if (paused && svc.store.find(rec.id)?.state.status === 'paused') await unpauseContainer(svc, rec.id);
    if (paused) await clearCommitPause(svc.ctx, rec.id);
  }
  svc.ctx.events('commit', rec, { comment: req.comment ?? '', imageID: id, imageRef: req.imageRef ?? '' });
  return id;
}
