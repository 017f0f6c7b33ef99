/** berth compose: the loader (files -> Project), the planner (Project -> create bodies) and the executor (through client/). */
export * from './types';
export { loadProject, normalizeProjectName, projectByName, hasDefaultFile, type LoadOptions } from './loader';
export { COMPOSE_VERSION, LABEL, imageName } from './planner';
export * from './executor';
