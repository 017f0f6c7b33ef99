/** Docker Compose's names and labels, so other compose tools understand berth's projects. */
import type { Project, ServiceConfig } from '../types';

export const COMPOSE_VERSION = '2.29.0';

export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  hash: 'com.docker.compose.config-hash',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  version: 'com.docker.compose.version',
  dependsOn: 'com.docker.compose.depends_on',
  image: 'com.docker.compose.image',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
} as const;

/** `<project>-<service>-<n>`, or the service's container_name. */
export function containerName(project: Project, svc: ServiceConfig, n: number): string {
  return svc.container_name ?? `${project.name}-${svc.name}-${n}`;
}

/** The image a service runs: its `image`, or `<project>-<service>` when it is built. */
export function imageName(project: Project, svc: ServiceConfig): string {
  return svc.image ?? `${project.name}-${svc.name}`;
}

/** The labels every object of the project carries. */
export function projectLabels(project: Project): Record<string, string> {
  return { [LABEL.project]: project.name, [LABEL.version]: COMPOSE_VERSION };
}

export const projectFilter = (project: string, more: string[] = []) => ({ label: [`${LABEL.project}=${project}`, ...more] });
