/** The `X-Registry-Auth` header: base64url JSON of Docker's AuthConfig, as the docker CLI sends it. */
import { fixedAuth, type RegistryAuth, type RegistryCredentials } from '../../core/remotes';

interface AuthConfig { username?: string; password?: string; identitytoken?: string; registrytoken?: string; auth?: string; serveraddress?: string }

/**
 * Credentials from the header, or anonymous when it is absent, empty (`e30=`, `{}`) or not
 * base64 JSON at all: dockerd ignores a header it cannot decode, for compatibility.
 */
export function registryAuthFromHeader(header: string | string[] | undefined): RegistryAuth {
  const h = Array.isArray(header) ? header[0] : header;
  if (!h) return fixedAuth(undefined);
  let cfg: AuthConfig;
  try {
    cfg = JSON.parse(Buffer.from(h.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as AuthConfig;
  } catch {
    return fixedAuth(undefined);
  }
  if (!cfg || typeof cfg !== 'object') return fixedAuth(undefined);
  let creds: RegistryCredentials | undefined;
  if (cfg.identitytoken) creds = { identitytoken: cfg.identitytoken };
  else if (cfg.username || cfg.password) creds = { username: cfg.username ?? '', password: cfg.password ?? '' };
  else if (cfg.auth) {
    const [username, ...rest] = Buffer.from(cfg.auth, 'base64').toString('utf8').split(':');
    creds = { username, password: rest.join(':') };
  }
  return fixedAuth(creds);
}
