/** The per-container verbs over a project's containers: start, stop, restart, kill, pause, unpause, rm. */
import { NotFound } from '../../errdefs';
import { startOrder } from '../loader';
import type { Project } from '../types';
import { projectContainers, running, type ProjectContainer } from './project-containers';
import type { ComposeRuntime } from './runtime';

export type ContainerVerb = 'start' | 'stop' | 'restart' | 'kill' | 'pause' | 'unpause' | 'rm';

const PAST: Record<ContainerVerb, string> = {
  start: 'Started', stop: 'Stopped', restart: 'Restarted', kill: 'Killed', pause: 'Paused', unpause: 'Unpaused', rm: 'Removed',
};

export interface VerbOptions { services?: string[]; timeout?: number; signal?: string; force?: boolean; stop?: boolean; volumes?: boolean }

/** Applies `verb` to the services' containers: starts in dependency order, everything else in reverse. */
export async function containerVerb(rt: ComposeRuntime, project: Project, verb: ContainerVerb, o: VerbOptions = {}): Promise<ProjectContainer[]> {
  for (const s of o.services ?? []) if (!project.services[s]) throw new NotFound(`no such service: ${s}`);
  const order = startOrder(project.services, () => project.configFiles[0]);
  const all = await projectContainers(rt.client, project.name, { services: o.services, oneoff: false });
  const byOrder = (a: ProjectContainer, b: ProjectContainer) => order.indexOf(a.service) - order.indexOf(b.service);
  const list = verb === 'start' ? all.sort(byOrder) : all.sort(byOrder).reverse();
  const acted: ProjectContainer[] = [];
  for (const c of list) {
    const c2 = rt.client.containers;
    switch (verb) {
      case 'start': if (running(c)) continue; await c2.start(c.id); break;
      case 'stop': if (!running(c)) continue; await c2.stop(c.id, { timeout: o.timeout }); break;
      case 'restart': await c2.restart(c.id, { timeout: o.timeout }); break;
      case 'kill': if (!running(c)) continue; await c2.kill(c.id, { signal: o.signal }); break;
      case 'pause': if (c.summary.State !== 'running') continue; await c2.pause(c.id); break;
      case 'unpause': if (c.summary.State !== 'paused') continue; await c2.unpause(c.id); break;
      case 'rm':
        if (running(c) && !o.stop) continue;
        if (running(c)) await c2.stop(c.id, { timeout: o.timeout });
        await c2.remove(c.id, { force: true, volumes: o.volumes });
        break;
    }
    rt.progress(` ✔ Container ${c.name}  ${PAST[verb]}`);
    acted.push(c);
  }
  return acted;
}

/** The container `exec`/`port`/... act on: replica `index` of `service`. */
export async function serviceContainer(rt: ComposeRuntime, project: Project, service: string, index = 1): Promise<ProjectContainer> {
  if (!project.services[service]) throw new NotFound(`no such service: ${service}`);
  const c = (await projectContainers(rt.client, project.name, { services: [service], oneoff: false })).find((x) => x.number === index);
  if (!c) throw new NotFound(`service "${service}" is not running`);
  return c;
}
