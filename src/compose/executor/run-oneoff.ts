/** `compose run`: a one-off container of a service (`<project>-<service>-run-<id>`), its dependencies started first. */
import { randomBytes } from 'node:crypto';
import { replicaPlan } from '../planner';
import type { Project } from '../types';
import { ensureImages } from './images';
import { ensureNetworks, ensureVolumes, usedResources } from './resources';
import type { ComposeRuntime } from './runtime';
import { up } from './up';

export interface RunOptions { command?: string[]; env?: string[]; entrypoint?: string[]; noDeps?: boolean; name?: string; tty?: boolean; user?: string; workdir?: string }

/** Creates (does not start) the one-off container; returns its ID and name. */
export async function createOneoff(rt: ComposeRuntime, project: Project, service: string, o: RunOptions): Promise<{ id: string; name: string }> {
  const svc = project.services[service];
  const deps = Object.keys(svc.depends_on);
  if (!o.noDeps && deps.length) await up(rt, project, { services: deps, detach: true });
  const used = usedResources(project, [service]);
  await ensureNetworks(rt, project, used.networks);
  await ensureVolumes(rt, project, used.volumes);
  await ensureImages(rt, project, [service], 'auto');
  const name = o.name ?? `${project.name}-${service}-run-${randomBytes(6).toString('hex')}`;
  const plan = replicaPlan(project, { ...svc, ports: [], container_name: undefined }, 1, { oneoff: true, name });
  const body = plan.body;
  if (o.command?.length) body.Cmd = o.command;
  if (o.entrypoint) body.Entrypoint = o.entrypoint;
  if (o.env?.length) body.Env = [...(body.Env ?? []), ...o.env];
  if (o.user) body.User = o.user;
  if (o.workdir) body.WorkingDir = o.workdir;
  Object.assign(body, { Tty: !!o.tty, OpenStdin: true, AttachStdin: true, AttachStdout: true, AttachStderr: true, StdinOnce: true });
  const { Id } = await rt.client.containers.create(body, { name });
  return { id: Id, name };
}
