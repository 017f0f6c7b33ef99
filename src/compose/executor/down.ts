/** `compose down`: the project's containers (in reverse start order), networks, and with -v its volumes, with --rmi its images. */
import { isNotFound } from '../../errdefs';
import { imageName } from '../planner';
import type { Project } from '../types';
import { removeContainer } from './converge';
import { projectContainers } from './project-containers';
import { removeNetworks, removeVolumes } from './resources';
import type { ComposeRuntime } from './runtime';

export interface DownOptions { volumes?: boolean; rmi?: 'all' | 'local'; removeOrphans?: boolean; timeout?: number }

export async function down(rt: ComposeRuntime, project: Project, o: DownOptions = {}): Promise<void> {
  const all = await projectContainers(rt.client, project.name);
  const known = all.filter((c) => project.services[c.service] || o.removeOrphans);
  await Promise.all(known.map((c) => removeContainer(rt, c, o.timeout)));
  await removeNetworks(rt, project.name);
  if (o.volumes) await removeVolumes(rt, project.name);
  if (o.rmi) {
    for (const svc of Object.values(project.services)) {
      if (o.rmi === 'local' && svc.image) continue;
      const ref = imageName(project, svc);
      try { await rt.client.images.remove(ref); rt.progress(` ✔ Image ${ref}  Removed`); } catch (err) { if (!isNotFound(err)) throw err; }
    }
  }
}
