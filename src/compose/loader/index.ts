export { loadProject, normalizeProjectName, projectByName, hasDefaultFile, type LoadOptions } from './load-project';
export { startOrder, withDependencies } from './graph';
export { interpolate, InterpolationError } from './interpolate';
export { parseEnvFile } from './env-file';
export { SERVICE, TOP, type Shape } from './shapes';
