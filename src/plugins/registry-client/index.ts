export { RegistryClient, Repository, isConnectionError, type RegistryClientOptions } from './registry-client';
export { isInsecure, type EndpointOptions } from './endpoint';
export { parseChallenge } from './challenge';
