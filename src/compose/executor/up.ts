/**
 * `compose up`: networks and volumes, images, then each service after its dependencies
 * meet their conditions. A failed up removes the containers it created, so nothing
 * half-started is left running. Attached (no `detach`), it follows the logs until the
 * containers exit (or the first one does, with `abortOnContainerExit`).
 */
import { FailedPrecondition, isNotFound } from '../../errdefs';
import { startOrder, withDependencies } from '../loader';
import type { Project } from '../types';
import { converge, stopQuietly } from './converge';
import { waitForCondition } from './dependencies';
import { ensureImages, type BuildPolicy } from './images';
import { streamLogs } from './logs';
import { projectContainers } from './project-containers';
import { ensureNetworks, ensureVolumes, usedResources } from './resources';
import type { ComposeRuntime } from './runtime';

export interface UpOptions {
  services?: string[];
  detach?: boolean;
  build?: BuildPolicy;
  forceRecreate?: boolean;
  noDeps?: boolean;
  scale?: Record<string, number>;
  wait?: boolean;
  abortOnContainerExit?: boolean;
  removeOrphans?: boolean;
  color?: boolean;
}

/** The services an operation acts on: those named (their profiles enabled by naming them), else the enabled ones. */
export function targetServices(project: Project, named: string[] | undefined, withDeps: boolean): string[] {
  for (const n of named ?? []) if (!project.services[n]) throw new FailedPrecondition(`no such service: ${n}`);
  const base = named?.length ? named : project.enabled;
  const set = withDeps ? withDependencies(project.services, base) : new Set(base);
  return startOrder(project.services, () => project.configFiles[0]).filter((s) => set.has(s));
}

async function removeOrphans(rt: ComposeRuntime, project: Project, remove: boolean): Promise<void> {
  const orphans = (await projectContainers(rt.client, project.name, { oneoff: false })).filter((c) => !project.services[c.service]);
  for (const o of orphans) {
    if (remove) await rt.client.containers.remove(o.id, { force: true });
    else rt.progress(`WARN Found orphan containers ([${o.name}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`);
  }
}

/** Returns the exit code attached mode ends with (0 when detached). */
export async function up(rt: ComposeRuntime, project: Project, o: UpOptions = {}): Promise<number> {
  const services = targetServices(project, o.services, !o.noDeps);
  const used = usedResources(project, services);
  await ensureNetworks(rt, project, used.networks);
  await ensureVolumes(rt, project, used.volumes);
  const images = await ensureImages(rt, project, services, o.build ?? 'auto');
  await removeOrphans(rt, project, !!o.removeOrphans);
  const created: string[] = [];
  try {
    for (const name of services) {
      const svc = project.services[name];
      for (const [dep, d] of Object.entries(svc.depends_on)) {
        if (services.includes(dep) || !o.noDeps) await waitForCondition(rt, project.name, dep, d.condition);
      }
      await converge(rt, project, name, { replicas: o.scale?.[name] ?? svc.replicas, forceRecreate: o.forceRecreate, imageId: images.get(name), created });
    }
    if (o.wait) {
      for (const name of services) await waitForCondition(rt, project.name, name, project.services[name].healthcheck ? 'service_healthy' : 'service_started');
    }
  } catch (err) {
    for (const id of created.reverse()) {
      await rt.client.containers.remove(id, { force: true }).catch((e) => { if (!isNotFound(e)) throw e; });
    }
    throw err;
  }
  if (o.detach) return 0;
  return attached(rt, project, services, o);
}

async function attached(rt: ComposeRuntime, project: Project, services: string[], o: UpOptions): Promise<number> {
  const containers = await projectContainers(rt.client, project.name, { services, oneoff: false });
  const stopAll = new AbortController();
  const logsRt: ComposeRuntime = { ...rt, signal: AbortSignal.any([stopAll.signal, ...(rt.signal ? [rt.signal] : [])]) };
  const logs = streamLogs(logsRt, containers, { follow: true, color: o.color });
  let code = 0;
  const exits = containers.map(async (c) => {
    const r = await rt.client.containers.wait(c.id, 'not-running');
    rt.progress(`${c.name} exited with code ${r.StatusCode}`);
    return { c, code: r.StatusCode };
  });
  if (o.abortOnContainerExit) {
    const first = await Promise.race(exits);
    code = first.code;
    rt.progress('Aborting on container exit...');
    await Promise.all(containers.map((c) => stopQuietly(rt, c.id)));
  } else {
    await Promise.race([Promise.all(exits), new Promise((r) => rt.signal?.addEventListener('abort', r, { once: true }))]);
    if (rt.signal?.aborted) {
      rt.progress('Gracefully stopping... (press Ctrl+C again to force)');
      await Promise.all(containers.map((c) => stopQuietly(rt, c.id)));
    }
  }
  await Promise.race([logs, new Promise((r) => setTimeout(r, 2000))]);
  stopAll.abort();
  return code;
}
