export { RegistryClient, Repository, type RegistryClientOptions } from './registry-client';
export { isInsecure, type EndpointOptions } from './endpoint';
export { parseChallenge } from './challenge';
