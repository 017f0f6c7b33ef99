import { readdir, readFile, writeFile } from 'node:fs/promises';
import type { PortMapper, PublishRequest } from '../../core/network/ports';
import { Internal } from '../../errdefs';
import { log } from '../../lib/logger';
import { runCommand } from '../../sys/run-command';
import { baseScript, containerScript, dropChains, jumpHandles, portChains, removeScript, type JumpHandles } from './port-rules';

export interface PortMapperOptions {
  /** berth's own nftables table, shared with the bridge's chains. */
  nftTable: string;
  /** daemon.json `iptables`: false means no rule at all (ports are still reserved). */
  rules: boolean;
}

/** The kernel calls the mapper makes, so unit tests can record them. */
export interface PortKernel {
  /** Runs an nft script as one transaction and returns nft's echo of it (with handles). */
  apply(script: string[]): Promise<string>;
  /** `nft -j list table ip <table>`, or undefined when there is no such table. */
  listTable(table: string): Promise<string | undefined>;
  /** Sets net.ipv4.conf.<bridge>.route_localnet, which berth's own bridge needs for 127.0.0.1. */
  allowLocalnet(bridge: string): Promise<void>;
  /** Puts the bridge port of the veth whose other end is `ifname` in `netns` in hairpin mode. */
  hairpin(bridge: string, link: { netns: string; ifname: string }): Promise<void>;
}

export const portKernel: PortKernel = {
  async apply(script) {
    const r = await runCommand('nft', ['-e', '-a', '-f', '-'], { input: script.join('\n') + '\n' });
    return r.stdout;
  },
  async listTable(table) {
    const r = await runCommand('nft', ['-j', 'list', 'table', 'ip', table], { allowFail: true });
    return r.code === 0 ? r.stdout : undefined;
  },
  async allowLocalnet(bridge) {
    await writeFile(`/proc/sys/net/ipv4/conf/${bridge}/route_localnet`, '1');
  },
  async hairpin(bridge, link) {
    // The container's interface names its peer by ifindex; the bridge's ports are looked up by it.
    const r = await runCommand('nsenter', [`--net=${link.netns}`, 'ip', '-j', 'link', 'show', 'dev', link.ifname]);
    const peer = (JSON.parse(r.stdout) as { link_index?: number }[])[0]?.link_index;
    const dir = `/sys/class/net/${bridge}/brif`;
    for (const port of await readdir(dir)) {
      if (Number(await readFile(`/sys/class/net/${port}/ifindex`, 'utf8')) === peer) {
        await writeFile(`${dir}/${port}/hairpin_mode`, '1');
        return;
      }
    }
    throw new Error(`no port of ${bridge} is the peer of ${link.ifname} in ${link.netns}`);
  },
};

/**
 * Published ports as nftables NAT rules in berth's table (see port-rules.ts for their shape);
 * no userland proxy. Calls are serialised: each is one nft transaction.
 */
export class NftPortMapper implements PortMapper {
  private live = new Map<string, JumpHandles>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: PortMapperOptions, private readonly nft: PortKernel = portKernel) {}

  publish(req: PublishRequest): Promise<void> {
    return this.serial(async () => {
      if (!this.o.rules || req.mappings.length === 0) return;
      if (this.live.has(req.containerId)) await this.remove(req.containerId);
      if (req.mappings.some((m) => m.hostIp === '0.0.0.0' || m.hostIp.startsWith('127.'))) {
        await this.nft.allowLocalnet(req.bridge).catch((e) => {
          throw new Internal(`cannot route 127.0.0.1 to bridge ${req.bridge}: ${(e as Error).message}`, { cause: e });
        });
      }
      // Without hairpin mode the container cannot reach its own ports: worth a warning, not a failed start.
      if (req.link) await this.nft.hairpin(req.bridge, req.link).catch((e) => log.warn('hairpin mode not set', { id: req.containerId, error: String(e) }));
      const script = [...(this.live.size === 0 ? baseScript(this.o.nftTable) : []), ...containerScript(this.o.nftTable, req)];
      const handles = jumpHandles(await this.apply(script, req.containerId)).get(req.containerId);
      if (!handles) throw new Internal(`nft did not report the rule handles of container ${req.containerId}`);
      this.live.set(req.containerId, handles);
    });
  }

  unpublish(containerId: string): Promise<void> {
    return this.serial(() => this.remove(containerId));
  }

  restore(live: PublishRequest[]): Promise<void> {
    return this.serial(async () => {
      this.live.clear();
      if (!this.o.rules) return;
      const listing = await this.nft.listTable(this.o.nftTable);
      const stale = listing ? portChains(listing) : [];
      const wanted = live.filter((r) => r.mappings.length > 0);
      for (const r of wanted) {
        if (r.mappings.some((m) => m.hostIp === '0.0.0.0' || m.hostIp.startsWith('127.'))) await this.nft.allowLocalnet(r.bridge).catch(() => {});
      }
      const script = [
        ...dropChains(this.o.nftTable, stale),
        ...(wanted.length ? baseScript(this.o.nftTable) : []),
        ...wanted.flatMap((r) => containerScript(this.o.nftTable, r)),
      ];
      if (!script.length) return;
      const handles = jumpHandles(await this.apply(script, 'restore'));
      for (const r of wanted) {
        const h = handles.get(r.containerId);
        if (h) this.live.set(r.containerId, h);
      }
    });
  }

  private async remove(containerId: string): Promise<void> {
    const handles = this.live.get(containerId);
    if (!handles) return;
    const last = this.live.size === 1;
    await this.apply(removeScript(this.o.nftTable, containerId, handles, last), containerId);
    this.live.delete(containerId);
  }

  private async apply(script: string[], what: string): Promise<string> {
    try {
      return await this.nft.apply(script);
    } catch (e) {
      throw new Internal(`programming the published ports of ${what} failed: ${(e as Error).message}`, { cause: e });
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
