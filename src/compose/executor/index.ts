export type { ComposeRuntime, BuildContext } from './runtime';
export { up, targetServices, type UpOptions } from './up';
export { down, type DownOptions } from './down';
export { streamLogs, type LogsOptions } from './logs';
export { containerVerb, serviceContainer, type ContainerVerb, type VerbOptions } from './ops';
export { projectContainers, running, type ProjectContainer } from './project-containers';
export { createOneoff, type RunOptions } from './run-oneoff';
export { ensureImages, buildService, pullService, pushService, type BuildPolicy } from './images';
