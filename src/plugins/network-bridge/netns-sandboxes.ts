import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import type { LinkSpec, SandboxNetns } from '../../core/network';
import { Unavailable } from '../../errdefs';
import type { NetnsManager } from '../../sys/netns';
import type { IdMap } from '../../lib/id-map';
import { runCommand } from '../../sys/run-command';

/**
 * Sandboxes as namespaces bind-mounted under `<dir>`, each link a veth pair made inside the
 * namespace with its peer sent to berthd's own namespace and plugged into the bridge there:
 * two `ip -batch` runs whatever the number of links.
 */
export class NetnsSandboxes implements SandboxNetns {
  constructor(private readonly o: { dir: string; netns: NetnsManager }) {}

  async createSandbox(name: string, links: LinkSpec[], gateway?: string, opts: { idMap?: IdMap } = {}): Promise<string> {
    const path = join(this.o.dir, name);
    const veths = links.map(() => hostVethName());
    try {
      await this.o.netns.create(path, [...insideLines(links, veths), ...(gateway ? [`route add default via ${gateway}`] : [])], opts);
      await plug(links, veths);
    } catch (e) {
      await this.o.netns.remove(path).catch(() => {});
      throw new Unavailable(`failed to set up the network of sandbox ${name}: ${(e as Error).message}`, { cause: e });
    }
    return path;
  }

  async addLinks(path: string, links: LinkSpec[], gateway?: string): Promise<void> {
    const veths = links.map(() => hostVethName());
    try {
      await this.o.netns.exec(path, [...insideLines(links, veths), ...(gateway ? [`route replace default via ${gateway}`] : [])]);
      await plug(links, veths);
    } catch (e) {
      for (const l of links) await runCommand('nsenter', [`--net=${path}`, 'ip', 'link', 'del', l.ifname], { allowFail: true });
      throw new Unavailable(`failed to add ${links.map((l) => l.ifname).join(', ')} to ${path}: ${(e as Error).message}`, { cause: e });
    }
  }

  async removeLink(path: string, ifname: string): Promise<void> {
    await this.o.netns.exec(path, [`link del ${ifname}`]);
  }

  async setDefaultRoute(path: string, gateway: string | undefined): Promise<void> {
    if (gateway) await this.o.netns.exec(path, [`route replace default via ${gateway}`]);
    else await runCommand('nsenter', [`--net=${path}`, 'ip', 'route', 'del', 'default'], { allowFail: true });
  }

  removeSandbox(path: string): Promise<void> { return this.o.netns.remove(path); }

  async listSandboxes(): Promise<string[]> {
    return (await readdir(this.o.dir).catch(() => [] as string[])).map((f) => join(this.o.dir, f));
  }
}

/** Docker's host-side veth names: `veth` and 7 hex digits. */
const hostVethName = () => `veth${randomBytes(4).toString('hex').slice(0, 7)}`;

function insideLines(links: LinkSpec[], veths: string[]): string[] {
  return links.flatMap((l, i) => [
    `link add ${l.ifname} address ${l.mac} type veth peer name ${veths[i]} netns ${process.pid}`,
    `addr add ${l.ip}/${l.prefixLen} dev ${l.ifname}`,
    `link set ${l.ifname} up`,
  ]);
}

async function plug(links: LinkSpec[], veths: string[]): Promise<void> {
  if (!links.length) return;
  await runCommand('ip', ['-batch', '-'], { input: links.map((l, i) => `link set ${veths[i]} master ${l.bridge} up`).join('\n') + '\n' });
}
