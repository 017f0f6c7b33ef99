/** Where the CLI finds the daemon: `-H`, then BERTH_HOST, then a unix:// DOCKER_HOST. */
import { InvalidArgument } from '../errdefs';

export const DEFAULT_SOCKET = '/run/berth/berth.sock';

export interface DaemonHost {
  /** The address as given, for messages: `unix:///run/berth/berth.sock`. */
  url: string;
  socketPath: string;
}

/** Parses a `unix://path` (or bare absolute path) address. tcp:// is not supported yet. */
export function parseHost(raw: string): DaemonHost {
  if (raw.startsWith('unix://')) {
    const socketPath = raw.slice('unix://'.length) || DEFAULT_SOCKET;
    return { url: `unix://${socketPath}`, socketPath };
  }
  if (raw.startsWith('/')) return { url: `unix://${raw}`, socketPath: raw };
  if (/^(tcp|http|https|ssh|npipe|fd):\/\//.test(raw)) {
    throw new InvalidArgument(`unsupported host protocol in "${raw}": only unix:// is supported`);
  }
  throw new InvalidArgument(`Invalid bind address format: ${raw}`);
}

/** Resolves the daemon address from the flag value and the environment. */
export function resolveHost(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): DaemonHost {
  if (flag) return parseHost(flag);
  if (env.BERTH_HOST) return parseHost(env.BERTH_HOST);
  if (env.DOCKER_HOST?.startsWith('unix://')) return parseHost(env.DOCKER_HOST);
  return { url: `unix://${DEFAULT_SOCKET}`, socketPath: DEFAULT_SOCKET };
}
