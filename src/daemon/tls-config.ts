/** berthd's TLS flags and daemon.json keys (dockerd's: tls, tlsverify, tlscacert, tlscert, tlskey). */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { TlsSettings } from './listeners';

export function addTlsFlags(program: Command): Command {
  return program
    .option('--tls', 'Use TLS; implied by --tlsverify')
    .option('--tlsverify', 'Use TLS and verify the remote (client certificates required)')
    .option('--tlscacert <file>', 'Trust certs signed only by this CA (default "~/.docker/ca.pem")')
    .option('--tlscert <file>', 'Path to TLS certificate file (default "~/.docker/cert.pem")')
    .option('--tlskey <file>', 'Path to TLS key file (default "~/.docker/key.pem")')
    .option('--insecure-tcp', 'Allow plain-HTTP tcp:// hosts on loopback addresses (no TLS: anyone on this host gets root)');
}

interface TlsOpts { tls?: boolean; tlsverify?: boolean; tlscacert?: string; tlscert?: string; tlskey?: string; insecureTcp?: boolean }

/** Flags over daemon.json over defaults; certificates default to DOCKER_CERT_PATH or ~/.docker. */
export function tlsSettings(o: TlsOpts, file: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): TlsSettings {
  const dir = env.DOCKER_CERT_PATH || join(homedir(), '.docker');
  const str = (k: string) => (typeof file[k] === 'string' ? file[k] as string : undefined);
  return {
    verify: !!(o.tlsverify ?? file.tlsverify),
    caCert: o.tlscacert ?? str('tlscacert') ?? join(dir, 'ca.pem'),
    cert: o.tlscert ?? str('tlscert') ?? join(dir, 'cert.pem'),
    key: o.tlskey ?? str('tlskey') ?? join(dir, 'key.pem'),
    insecureTcp: !!(o.insecureTcp ?? file['insecure-tcp']),
  };
}
