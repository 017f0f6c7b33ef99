/** The containers of a project, found by compose's labels. */
import type { ContainerSummary, EngineClient } from '../../client';
import { LABEL, projectFilter } from '../planner';

export interface ProjectContainer {
  id: string;
  name: string;
  service: string;
  number: number;
  oneoff: boolean;
  summary: ContainerSummary;
}

export const running = (c: ProjectContainer) => c.summary.State === 'running' || c.summary.State === 'paused' || c.summary.State === 'restarting';

/** Every container of `project` (stopped ones too), optionally only of `services`, ordered by service then number. */
export async function projectContainers(client: EngineClient, project: string, o: { services?: string[]; oneoff?: boolean; all?: boolean } = {}): Promise<ProjectContainer[]> {
  const list = await client.containers.list({ all: o.all ?? true, filters: projectFilter(project) });
  return list
    .map((s) => ({
      id: s.Id, name: (s.Names[0] ?? '').replace(/^\//, ''), service: s.Labels?.[LABEL.service] ?? '',
      number: Number(s.Labels?.[LABEL.number] ?? 0), oneoff: s.Labels?.[LABEL.oneoff] === 'True', summary: s,
    }))
    .filter((c) => (o.services?.length ? o.services.includes(c.service) : true) && (o.oneoff === undefined || c.oneoff === o.oneoff))
    .sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : a.number - b.number));
}
