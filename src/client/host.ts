/**
 * Where the CLI finds the daemon: `-H`, then BERTH_HOST, then DOCKER_HOST; and how it talks
 * to a tcp:// one, as the docker CLI: TLS with `--tls`, server verification and a client
 * certificate with `--tlsverify` / DOCKER_TLS_VERIFY, files from `--tlscacert/--tlscert/--tlskey`
 * or DOCKER_CERT_PATH (default ~/.docker/{ca,cert,key}.pem).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgument } from '../errdefs';

export const DEFAULT_SOCKET = '/run/berth/berth.sock';

/** TLS for a tcp:// daemon; `verify` checks the server's certificate against `ca`. */
export interface ClientTls { verify: boolean; ca?: Buffer; cert?: Buffer; key?: Buffer }

export interface DaemonHost {
  /** The address as given, for messages: `unix:///run/berth/berth.sock`, `tcp://127.0.0.1:2376`. */
  url: string;
  /** Set for unix:// addresses. */
  socketPath?: string;
  /** Set for tcp:// addresses. */
  tcp?: { host: string; port: number };
  /** Set when a tcp:// daemon is reached over TLS. */
  tls?: ClientTls;
}

/** The docker CLI's global TLS flags. */
export interface TlsFlags { tls?: boolean; tlsverify?: boolean; tlscacert?: string; tlscert?: string; tlskey?: string }

/** Parses `unix://path`, a bare absolute path, or `tcp://host[:port]` (2376 with TLS, else 2375). */
export function parseHost(raw: string, tlsOn = false): DaemonHost {
  if (raw.startsWith('unix://')) {
    const socketPath = raw.slice('unix://'.length) || DEFAULT_SOCKET;
    return { url: `unix://${socketPath}`, socketPath };
  }
  if (raw.startsWith('/')) return { url: `unix://${raw}`, socketPath: raw };
  const tcp = /^tcp:\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(raw);
  if (tcp) {
    const port = tcp[2] ? Number(tcp[2]) : (tlsOn ? 2376 : 2375);
    return { url: `tcp://${tcp[1]}:${port}`, tcp: { host: tcp[1].replace(/^\[(.*)\]$/, '$1'), port } };
  }
  if (/^(tcp|http|https|ssh|npipe|fd):\/\//.test(raw)) {
    throw new InvalidArgument(`unsupported host protocol in "${raw}": berth connects to unix:// and tcp:// hosts`);
  }
  throw new InvalidArgument(`Invalid bind address format: ${raw}`);
}

function readCert(what: string, path: string): Buffer {
  try { return readFileSync(path); } catch (e) {
    throw new InvalidArgument(`could not read ${what} "${path}": ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
}

/**
 * The TLS settings as the docker CLI derives them: on with --tls or --tlsverify (or
 * DOCKER_TLS_VERIFY); files given by flag must exist, default ones are used when present.
 */
export function resolveTls(flags: TlsFlags, env: NodeJS.ProcessEnv): ClientTls | undefined {
  const verify = !!flags.tlsverify || !!env.DOCKER_TLS_VERIFY;
  if (!verify && !flags.tls) return undefined;
  const dir = env.DOCKER_CERT_PATH || join(homedir(), '.docker');
  const pick = (what: string, given: string | undefined, file: string) => {
    if (given) return readCert(what, given);
    const p = join(dir, file);
    return existsSync(p) ? readCert(what, p) : undefined;
  };
  return { verify, ca: pick('CA certificate', flags.tlscacert, 'ca.pem'), cert: pick('certificate', flags.tlscert, 'cert.pem'), key: pick('key', flags.tlskey, 'key.pem') };
}

/** Resolves the daemon address from the flags and the environment. */
export function resolveHost(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, tlsFlags: TlsFlags = {}): DaemonHost {
  const raw = flag || env.BERTH_HOST || env.DOCKER_HOST;
  if (!raw) return { url: `unix://${DEFAULT_SOCKET}`, socketPath: DEFAULT_SOCKET };
  const tls = resolveTls(tlsFlags, env);
  const host = parseHost(raw, !!tls);
  return host.tcp && tls ? { ...host, tls } : host;
}
