/**
 * Where berthd reaches a registry and how it trusts it, as dockerd decides: daemon.json
 * `registry-mirrors` (docker.io only, tried before the registry itself),
 * `insecure-registries` (https without verification, then plain http), and
 * `/etc/berth/certs.d/<host[:port]>/` (`*.crt` CAs added to the system roots, `*.cert` +
 * `*.key` client pairs). Docker's /etc/docker/certs.d is not read: berth keeps its own
 * configuration beside a Docker engine's (its daemon.json is /etc/berth/daemon.json too),
 * so trusting a CA for one engine never changes what the other trusts.
 */
import { readdir, readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import { InvalidArgument, hasErrno } from '../../errdefs';
import type { EndpointResolver, RegistryEndpoint } from '../../core/remotes';

export type { EndpointResolver, RegistryEndpoint };

export interface EndpointConfigOptions {
  mirrors?: string[];
  /** Docker's isSecureIndex negated (daemon.json `insecure-registries`, loopback): the registry client's rule. */
  isInsecure: (host: string) => boolean;
  /** The `certs.d` directory holding `<host[:port]>/` trust folders. */
  certsDir?: string;
}

export const DOCKER_HUB = 'docker.io';
const HUB_REGISTRY = 'https://registry-1.docker.io';
export const DEFAULT_CERTS_DIR = '/etc/berth/certs.d';

/** `index.docker.io`, `registry-1.docker.io` and `docker.io` all mean Docker Hub. */
export function canonicalHost(host: string): string {
  return ['index.docker.io', 'registry-1.docker.io', 'docker.io'].includes(host) ? DOCKER_HUB : host;
}

export class EndpointConfig implements EndpointResolver {
  private readonly mirrors: string[];
  private readonly certsDir: string;

  constructor(private readonly opts: EndpointConfigOptions) {
    this.mirrors = (opts.mirrors ?? []).map(validateMirror);
    this.certsDir = opts.certsDir ?? DEFAULT_CERTS_DIR;
  }

  /** Mirrors as configured (daemon.json order). */
  get registryMirrors(): string[] { return [...this.mirrors]; }

  async endpoints(host: string): Promise<RegistryEndpoint[]> {
    const h = canonicalHost(host);
    if (h === DOCKER_HUB) {
      const tls = await this.trust('registry-1.docker.io', true);
      const mirrors = await Promise.all(this.mirrors.map(async (url) => ({
        url, host: h, mirror: true,
        tls: url.startsWith('https:') ? await this.trust(new URL(url).host, !(await this.isInsecure(new URL(url).host))) : undefined,
      })));
      return [...mirrors, { url: HUB_REGISTRY, host: h, mirror: false, tls }];
    }
    if (!(await this.isInsecure(h))) return [{ url: `https://${h}`, host: h, mirror: false, tls: await this.trust(h, true) }];
    return [
      { url: `https://${h}`, host: h, mirror: false, tls: await this.trust(h, false) },
      { url: `http://${h}`, host: h, mirror: false },
    ];
  }

  private async isInsecure(host: string): Promise<boolean> { return this.opts.isInsecure(host); }

  private async trust(host: string, verify: boolean): Promise<RegistryEndpoint['tls']> {
    const ca: string[] = [...rootCertificates];
    let cert: string | undefined;
    let key: string | undefined;
    {
      const folder = `${this.certsDir}/${host}`;
      let names: string[];
      try { names = (await readdir(folder)).sort(); } catch (e) {
        if (hasErrno(e, 'ENOENT') || hasErrno(e, 'ENOTDIR')) return { ca, verify };
        throw e;
      }
      for (const n of names) {
        if (n.endsWith('.crt')) ca.push(await readFile(`${folder}/${n}`, 'utf8'));
        else if (n.endsWith('.cert') && !cert) {
          const keyName = n.replace(/\.cert$/, '.key');
          if (!names.includes(keyName)) throw new InvalidArgument(`missing key ${keyName} for client certificate ${n} in ${folder}`);
          cert = await readFile(`${folder}/${n}`, 'utf8');
          key = await readFile(`${folder}/${keyName}`, 'utf8');
        } else if (n.endsWith('.key') && !names.includes(n.replace(/\.key$/, '.cert'))) {
          throw new InvalidArgument(`missing client certificate ${n.replace(/\.key$/, '.cert')} for key ${n} in ${folder}`);
        }
      }
    }
    return { ca, cert, key, verify };
  }
}

function validateMirror(m: string): string {
  let u: URL;
  try { u = new URL(m); } catch { throw new InvalidArgument(`invalid mirror: ${JSON.stringify(m)} is not a valid URI`); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InvalidArgument(`invalid mirror: unsupported scheme "${u.protocol.slice(0, -1)}" in ${JSON.stringify(m)}`);
  if (u.search || u.hash) throw new InvalidArgument(`invalid mirror: query or fragment at end of the URI ${JSON.stringify(m)}`);
  return m.replace(/\/+$/, '');
}

