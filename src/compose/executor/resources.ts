/** The project's networks and volumes: created when missing (external ones must exist), removed by down. */
import { isNotFound } from '../../errdefs';
import { NotFound } from '../../errdefs';
import { LABEL, projectFilter, projectLabels } from '../planner';
import type { Project } from '../types';
import type { ComposeRuntime } from './runtime';

/** The network and volume keys the given services use. */
export function usedResources(project: Project, services: string[]) {
  const networks = new Set<string>();
  const volumes = new Set<string>();
  for (const s of services) {
    for (const n of Object.keys(project.services[s].networks)) networks.add(n);
    for (const v of project.services[s].volumes) if (v.type === 'volume' && v.source) volumes.add(v.source);
  }
  return { networks: [...networks], volumes: [...volumes] };
}

export async function ensureNetworks(rt: ComposeRuntime, project: Project, keys: string[]): Promise<void> {
  for (const key of keys) {
    const n = project.networks[key];
    try { await rt.client.networks.inspect(n.name); continue; } catch (err) { if (!isNotFound(err)) throw err; }
    if (n.external) throw new NotFound(`network ${n.name} declared as external, but could not be found`);
    await rt.client.networks.create({
      Name: n.name, CheckDuplicate: true, Driver: n.driver ?? 'bridge', Internal: !!n.internal,
      IPAM: n.ipam?.config ? { Driver: 'default', Config: n.ipam.config.map((c) => ({ Subnet: c.subnet, Gateway: c.gateway })) } : undefined,
      Labels: { ...n.labels, ...projectLabels(project), [LABEL.network]: key },
    });
    rt.progress(` ✔ Network ${n.name}  Created`);
  }
}

export async function ensureVolumes(rt: ComposeRuntime, project: Project, keys: string[]): Promise<void> {
  for (const key of keys) {
    const v = project.volumes[key];
    try { await rt.client.volumes.inspect(v.name); continue; } catch (err) { if (!isNotFound(err)) throw err; }
    if (v.external) throw new NotFound(`external volume "${v.name}" not found`);
    await rt.client.volumes.create({ Name: v.name, Driver: v.driver ?? 'local', Labels: { ...v.labels, ...projectLabels(project), [LABEL.volume]: key } });
    rt.progress(` ✔ Volume "${v.name}"  Created`);
  }
}

/** Removes the project's own networks (by label); external ones are never touched. */
export async function removeNetworks(rt: ComposeRuntime, projectName: string): Promise<void> {
  for (const n of await rt.client.networks.list({ filters: projectFilter(projectName) })) {
    await rt.client.networks.remove(n.Id);
    rt.progress(` ✔ Network ${n.Name}  Removed`);
  }
}

export async function removeVolumes(rt: ComposeRuntime, projectName: string): Promise<void> {
  const { Volumes } = await rt.client.volumes.list({ filters: projectFilter(projectName) });
  for (const v of Volumes ?? []) {
    await rt.client.volumes.remove(v.Name);
    rt.progress(` ✔ Volume ${v.Name}  Removed`);
  }
}
