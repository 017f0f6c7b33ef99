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
import type { EtcFiles, LinkRule } from './etc-hooks';

const etcPaths = (dir: string): EtcFiles => ({ hosts: join(dir, 'hosts'), hostname: join(dir, 'hostname'), resolvConf: join(dir, 'resolv.conf') });

/**
 * Writes a starting container's /etc/hosts and /etc/resolv.conf and returns the files to bind
 * and the variables its links add. A container:<id> container shares the other's files and
 * takes its hostname and domainname into its config, as Docker does. Throws Docker's link
 * errors (a stopped child, one off the default bridge).
 */
export async function setupEtcFiles(ctx: ContainerContext, rec: ContainerRecord, sandbox: SandboxInfo): Promise<{ files: EtcFiles; env: string[] }> {
  const mode = effectiveNetworkMode(rec.hostConfig);
  if (mode.startsWith('container:')) {
    const peer = ctx.store.get(mode.slice('container:'.length));
    rec.config.Hostname = peer.config.Hostname;
    rec.config.Domainname = peer.config.Domainname;
    return { files: etcPaths(ctx.store.dir(peer.id)), env: [] };
  }
  const links = activeLinks(ctx.store, rec);
  const files = await writeEtc(ctx, rec, sandbox, links);
  return { files, env: links.flatMap((l) => linkEnv(rec.name, l)) };
}

/** Renders and writes (in place: bind mounts keep seeing the files) hosts and resolv.conf. */
async function writeEtc(ctx: ContainerContext, rec: ContainerRecord, sandbox: SandboxInfo, links: ActiveLink[]): Promise<EtcFiles> {
  const hooks = ctx.etc ?? {};
  const dnsServer = await hooks.dns?.serverFor(rec, sandbox);
  const firstGateway = sandboxEndpoints(sandbox).find((e) => e.gateway)?.gateway;
  const inputs = { linkHosts: links.map(linkHostsLine), hostGateway: hooks.hostGateway?.() ?? firstGateway, dnsServer };
  const files = etcPaths(ctx.store.dir(rec.id));
  const [hosts, resolv] = await Promise.all([hostsFile(rec, sandbox, inputs), resolvConfFile(rec, sandbox, inputs)]);
  await Promise.all([writeFile(files.hosts, hosts), writeFile(files.resolvConf, resolv)]);
  return files;
}

/**
 * Rewrites a running container's hosts and resolv.conf after its networks changed (network
 * connect/disconnect), as Docker does: a line per network, the embedded DNS once it is on a
 * user network. Containers sharing another's namespace keep the other's files.
 */
export async function refreshEtcFiles(ctx: ContainerContext, rec: ContainerRecord): Promise<void> {
  if (!rec.sandbox || effectiveNetworkMode(rec.hostConfig).startsWith('container:')) return;
  const sandbox: SandboxInfo = { ...rec.sandbox, endpoints: sandboxEndpoints(rec.sandbox as SandboxInfo), resolvConf: ctx.etc?.hostResolvConf ?? '/etc/resolv.conf', extraHosts: [] } as SandboxInfo;
  let links: ActiveLink[] = [];
  try { links = activeLinks(ctx.store, rec); } catch { /* a link's child stopped meanwhile: its line goes */ }
  await writeEtc(ctx, rec, sandbox, links);
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
