export { replicaPlan, parseBytes, type ReplicaPlan } from './container-body';
export { configHash, stableJson } from './config-hash';
export { LABEL, COMPOSE_VERSION, containerName, imageName, projectLabels, projectFilter } from './naming';
