/** Recording fakes of the bridge-networking contracts, for unit tests without root. */
import { containsIp, formatCidr, parseCidr, type BridgeHost, type BridgeRules, type LinkSpec, type SandboxNetns } from '../../../core/network';

/** Bridges as a map of name to address; routes given; the last rules kept. */
export class FakeBridgeHost implements BridgeHost {
  bridges = new Map<string, { gateway: string; prefixLen: number }>();
  /** Links on the host that are not berth's. */
  foreign = new Set<string>();
  routes: string[] = ['172.17.0.0/16', '192.0.2.0/24'];
  rules: BridgeRules[] = [];
  forwarding = false;
  failCreate?: Error;

  async bridgeAddress(name: string) {
    const b = this.bridges.get(name);
    return b && { subnet: formatCidr(parseCidr(`${b.gateway}/${b.prefixLen}`)), gateway: b.gateway };
  }
  async linkExists(name: string) { return this.bridges.has(name) || this.foreign.has(name); }
  async createBridge(name: string, gateway: string, prefixLen: number) {
    if (this.failCreate) throw this.failCreate;
    this.bridges.set(name, { gateway, prefixLen });
  }
  async removeBridge(name: string) { this.bridges.delete(name); }
  async hostRoutes() {
    const own = await Promise.all([...this.bridges.keys()].map((b) => this.bridgeAddress(b)));
    return [...this.routes, ...own.map((a) => a!.subnet)];
  }
  async enableForwarding() { this.forwarding = true; }
  async syncRules(nets: BridgeRules[]) { this.rules = nets.map((n) => ({ ...n })); }
}

/** Namespaces as a map of path to their links and default route. */
export class FakeSandboxes implements SandboxNetns {
  sandboxes = new Map<string, { links: LinkSpec[]; gateway?: string }>();
  created = 0;
  failNext?: Error;

  async createSandbox(name: string, links: LinkSpec[], gateway?: string) {
    if (this.failNext) { const e = this.failNext; this.failNext = undefined; throw e; }
    const path = `/run/fake/netns/${name}`;
    this.sandboxes.set(path, { links: [...links], gateway });
    this.created++;
    return path;
  }
  async addLinks(path: string, links: LinkSpec[], gateway?: string) {
    if (this.failNext) { const e = this.failNext; this.failNext = undefined; throw e; }
    const s = this.sandboxes.get(path)!;
    s.links.push(...links);
    if (gateway) s.gateway = gateway;
  }
  async removeLink(path: string, ifname: string) {
    const s = this.sandboxes.get(path)!;
    const l = s.links.find((x) => x.ifname === ifname);
    s.links = s.links.filter((x) => x.ifname !== ifname);
    // As the kernel: the default route goes with the link it leaves through.
    if (l && s.gateway && containsIp(parseCidr(`${l.ip}/${l.prefixLen}`), s.gateway)) s.gateway = undefined;
  }
  async setDefaultRoute(path: string, gateway: string | undefined) { this.sandboxes.get(path)!.gateway = gateway; }
  async removeSandbox(path: string) { this.sandboxes.delete(path); }
  async listSandboxes() { return [...this.sandboxes.keys()]; }
}
