/**
 * One service brought to its desired state: `replicas` containers running with the current
 * config hash (and image). A container whose hash or image differs is replaced; an unchanged
 * one is left running (or started); extra replicas are removed.
 */
import { InvalidArgument, isNotFound, isNotModified } from '../../errdefs';
import { LABEL, configHash, replicaPlan } from '../planner';
import type { Project } from '../types';
import { projectContainers, running, type ProjectContainer } from './project-containers';
import type { ComposeRuntime } from './runtime';

export interface ConvergeOptions {
  replicas: number;
  forceRecreate?: boolean;
  imageId?: string;
  /** Containers created here, so a failed `up` can remove what it made. */
  created: string[];
}

/** Stops a container; one already stopped (304) or gone is no failure. */
export async function stopQuietly(rt: ComposeRuntime, id: string, timeout?: number): Promise<void> {
  try { await rt.client.containers.stop(id, { timeout }); } catch (err) {
    if (!isNotModified(err) && !isNotFound(err)) throw err;
  }
}

export async function removeContainer(rt: ComposeRuntime, c: { id: string; name: string }, timeout?: number): Promise<void> {
  rt.progress(` Container ${c.name}  Stopping`);
  await stopQuietly(rt, c.id, timeout);
  await rt.client.containers.remove(c.id, { force: true });
  rt.progress(` ✔ Container ${c.name}  Removed`);
}

async function createReplica(rt: ComposeRuntime, project: Project, service: string, n: number, o: { imageId?: string; created: string[] }): Promise<string> {
  const plan = replicaPlan(project, project.services[service], n, { imageId: o.imageId });
  const { Id } = await rt.client.containers.create(plan.body, { name: plan.name });
  o.created.push(Id);
  for (const m of plan.moreNetworks) {
    await rt.client.networks.connect(m.network, Id, { Aliases: m.aliases, ...(m.ipv4 ? { IPAMConfig: { IPv4Address: m.ipv4 } } : {}) });
  }
  rt.progress(` ✔ Container ${plan.name}  Created`);
  return Id;
}

export async function converge(rt: ComposeRuntime, project: Project, service: string, o: ConvergeOptions): Promise<ProjectContainer[] | string[]> {
  const svc = project.services[service];
  if (svc.container_name && o.replicas > 1) {
    throw new InvalidArgument(`services.${service}: container_name "${svc.container_name}" cannot be used with ${o.replicas} replicas`);
  }
  const hash = configHash(svc);
  const existing = await projectContainers(rt.client, project.name, { services: [service], oneoff: false });
  const toStart: string[] = [];
  for (let n = 1; n <= o.replicas; n++) {
    const c = existing.find((e) => e.number === n);
    const stale = c && (o.forceRecreate || c.summary.Labels?.[LABEL.hash] !== hash || (o.imageId && c.summary.ImageID !== o.imageId));
    if (c && !stale) {
      if (!running(c)) toStart.push(c.id);
      else rt.progress(` ✔ Container ${c.name}  Running`);
      continue;
    }
    if (c) await removeContainer(rt, c);
    toStart.push(await createReplica(rt, project, service, n, o));
  }
  await Promise.all(existing.filter((e) => e.number > o.replicas).map((c) => removeContainer(rt, c)));
  for (const id of toStart) {
    await rt.client.containers.start(id);
    const name = (await rt.client.containers.inspect(id)).Name.replace(/^\//, '');
    rt.progress(` ✔ Container ${name}  Started`);
  }
  return toStart;
}
