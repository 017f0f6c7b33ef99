export { EndpointConfig, canonicalHost, DEFAULT_CERTS_DIR, DOCKER_HUB, type EndpointConfigOptions, type EndpointResolver, type RegistryEndpoint } from './endpoint-config';
export { login, registryHostname, type LoginRequest, type LoginResult } from './registry-login';
export { searchImages, splitTerm, type SearchDeps, type SearchOptions, type SearchResult } from './image-search';
