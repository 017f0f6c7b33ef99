import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasErrno } from '../../errdefs';
import { log } from '../../lib/logger';
import type { SandboxInfo } from '../../core/network';
import type { ContainerContext } from './deps';
import type { ContainerRecord } from './types';
import { effectiveNetworkMode } from './types';
import { hostsFile, resolvConfFile, sandboxEndpoints } from './etc-files';
import { activeLinks, bridgeIp, linkEnv, linkHostsLine, type ActiveLink, type LinkStore } from './links';

/** A link's firewall view: parent and child addresses and the child's exposed ports. */
export interface LinkRule { parentIp: string; childIp: string; ports: { port: number; proto: string }[] }

/** What berthd adds to a container's /etc files and links beyond the records; all optional. */
export interface EtcHooks {
  /**
   * The embedded DNS: starts serving the user-defined networks of the sandbox (idempotent) and
   * returns the address its resolv.conf names, or undefined when none of its networks has one.
   */
  dns?: { serverFor(rec: ContainerRecord, sandbox: SandboxInfo): Promise<string | undefined> };
  /** What `host-gateway` stands for: daemon.json's host-gateway-ip, else the default bridge's gateway. */
  hostGateway?: () => string | undefined;
  /** With icc=false: keeps the bridge open between linked containers only; called with every running link. */
  linkFirewall?: { sync(links: LinkRule[]): Promise<void> };
}

export interface EtcFiles { hosts: string; hostname: string; resolvConf: string }

const etcPaths = (dir: string): EtcFiles => ({ hosts: join(dir, 'hosts'), hostname: join(dir, 'hostname'), resolvConf: join(dir, 'resolv.conf') });

/**
 * Writes a starting container's /etc/hosts and /etc/resolv.conf and returns the files to bind
 * and the variables its links add. A container:<id> container shares the other's files, as
 * Docker does. Throws Docker's link errors (a stopped child, one off the default bridge).
 */
export async function setupEtcFiles(ctx: ContainerContext, rec: ContainerRecord, sandbox: SandboxInfo): Promise<{ files: EtcFiles; env: string[] }> {
  const mode = effectiveNetworkMode(rec.hostConfig);
  if (mode.startsWith('container:')) {
    const peer = ctx.store.get(mode.slice('container:'.length));
    return { files: etcPaths(ctx.store.dir(peer.id)), env: [] };
  }
  const hooks = ctx.etc ?? {};
  const links = activeLinks(ctx.store, rec);
  const dnsServer = await hooks.dns?.serverFor(rec, sandbox);
  const firstGateway = sandboxEndpoints(sandbox).find((e) => e.gateway)?.gateway;
  const inputs = { linkHosts: links.map(linkHostsLine), hostGateway: hooks.hostGateway?.() ?? firstGateway, dnsServer };
  const files = etcPaths(ctx.store.dir(rec.id));
  const [hosts, resolv] = await Promise.all([hostsFile(rec, sandbox, inputs), resolvConfFile(rec, sandbox, inputs)]);
  await Promise.all([writeFile(files.hosts, hosts), writeFile(files.resolvConf, resolv)]);
  return { files, env: links.flatMap((l) => linkEnv(rec.name, l)) };
}

/**
 * After a container started: running containers linked to it get its new address in their
 * /etc/hosts (rewritten in place, so their bind mounts see it), and the link firewall follows.
 */
export async function afterLinkedStart(ctx: ContainerContext, child: ContainerRecord): Promise<void> {
  const ip = bridgeIp(child);
  if (ip) {
    for (const parent of running(ctx.store)) {
      for (const l of linksTo(parent, child)) {
        await updateHostsLine(join(ctx.store.dir(parent.id), 'hosts'), { alias: l, child, ip })
          .catch((e) => log.warn('updating a linked container\'s hosts failed', { id: parent.id, error: String(e) }));
      }
    }
  }
  await syncLinkFirewall(ctx);
}

/** Rewrites the link firewall for the links among running containers (icc=false only). */
export async function syncLinkFirewall(ctx: ContainerContext): Promise<void> {
  const fw = ctx.etc?.linkFirewall;
  if (!fw) return;
  const rules: LinkRule[] = [];
  for (const parent of running(ctx.store)) {
    const parentIp = bridgeIp(parent);
    if (!parentIp) continue;
    let links: ActiveLink[];
    try { links = activeLinks(ctx.store, parent); } catch { continue; }
    for (const l of links) {
      const ports = Object.keys(l.child.config.ExposedPorts ?? {}).map((k) => { const [p, proto = 'tcp'] = k.split('/'); return { port: Number(p), proto }; });
      rules.push({ parentIp, childIp: l.ip, ports });
    }
  }
  await fw.sync(rules).catch((e) => log.warn('link firewall update failed', { error: String(e) }));
}

const running = (store: LinkStore) => store.all().filter((r) => r.state.status === 'running' || r.state.status === 'paused');

/** The aliases under which `parent` links to `child`. */
function linksTo(parent: ContainerRecord, child: ContainerRecord): string[] {
  return ((parent.hostConfig.Links as string[] | null | undefined) ?? [])
    .filter((l) => l.startsWith(`/${child.name}:`))
    .map((l) => l.split('/').pop()!);
}

/** Points the hosts line of a link at its child's current address. */
async function updateHostsLine(path: string, link: ActiveLink): Promise<void> {
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch (e) { if (hasErrno(e, 'ENOENT')) return; throw e; }
  const line = linkHostsLine(link);
  const names = line.slice(line.indexOf('\t'));
  const next = text.split('\n').map((l) => (l.endsWith(names) && l.indexOf('\t') === l.length - names.length ? line : l)).join('\n');
  if (next !== text) await writeFile(path, next);
}
