/**
 * Credentials for a registry, as the docker CLI and ~/.docker/config.json carry them:
 * a username and password (basic auth, or exchanged for a bearer token), or an identity
 * token (an OAuth2 refresh token, exchanged at the token endpoint with grant_type=refresh_token).
 */
export type RegistryCredentials =
  | { username: string; password: string }
  | { identitytoken: string };

/**
 * Where the registry client finds credentials for a host. `host` is the registry's
 * address as in a reference's domain (`registry-1.docker.io` for docker.io is asked as
 * `docker.io`; otherwise `host[:port]`). Returns undefined when there are none: the
 * client then goes anonymous. Implementations: one filled from a request's
 * X-Registry-Auth header (route), one reading ~/.docker/config.json and credential helpers.
 */
export interface RegistryAuth {
  credentialsFor(host: string): Promise<RegistryCredentials | undefined>;
}

/** No credentials for any host. */
export const anonymousAuth: RegistryAuth = {
  credentialsFor: async () => undefined,
};

/** The same credentials for every host (the X-Registry-Auth header of one request). */
export function fixedAuth(creds: RegistryCredentials | undefined): RegistryAuth {
  return { credentialsFor: async () => creds };
}
