/**
 * Which names a container answers to on a user-defined network, as Docker's embedded DNS
 * resolves them: its name, its network aliases, its short (12-character) ID and its hostname,
 * each also as `<name>.<network>`; names compare case-insensitively. A container's own links
 * (`--link target:alias` on a user network) resolve only for that container.
 */

/** A running container's place on one network, as the DNS server sees it. */
export interface DnsEndpoint {
  containerId: string;
  /** Without the leading slash. */
  name: string;
  ip: string;
  aliases: string[];
  hostname?: string;
  /** Link aliases this container gave others (alias -> the target container's name). */
  links?: Record<string, string>;
}

/** The endpoints of one network, looked up when a query arrives. */
export interface DnsNetworkView {
  networkName: string;
  endpoints: DnsEndpoint[];
}

/** The names the DNS server answers: the contract it is given, injected by its owner. */
export interface DnsNames {
  /** IPv4 addresses of `name` on the network for a query from `client`; empty when unknown. */
  lookup(networkId: string, name: string, client: string): string[];
  /** The name a PTR query for `ip` on the network answers (`c1.mynet`), if a container has it. */
  reverse(networkId: string, ip: string): string | undefined;
}

const norm = (n: string) => n.toLowerCase().replace(/\.$/, '');

/** The names one endpoint answers to (lowercase, without the network suffix). */
function namesOf(e: DnsEndpoint): string[] {
  return [e.name, ...e.aliases, e.containerId.slice(0, 12), ...(e.hostname ? [e.hostname] : [])].map(norm);
}

/** The addresses `name` has among a network's endpoints, in the endpoints' order. */
export function matchName(view: DnsNetworkView, name: string, client?: string): string[] {
  let n = norm(name);
  const suffix = `.${norm(view.networkName)}`;
  const candidates = n.endsWith(suffix) ? [n, n.slice(0, -suffix.length)] : [n];
  const self = client === undefined ? undefined : view.endpoints.find((e) => e.ip === client);
  for (n of candidates) {
    const target = self?.links && Object.entries(self.links).find(([alias]) => norm(alias) === n)?.[1];
    if (target) {
      const t = view.endpoints.find((e) => norm(e.name) === norm(target));
      if (t) return [t.ip];
    }
    const ips = view.endpoints.filter((e) => namesOf(e).includes(n)).map((e) => e.ip);
    if (ips.length) return [...new Set(ips)];
  }
  return [];
}

/** `c1.mynet` for the endpoint holding `ip`, as Docker answers a reverse lookup. */
export function reverseName(view: DnsNetworkView, ip: string): string | undefined {
  const e = view.endpoints.find((x) => x.ip === ip);
  return e && `${e.name}.${view.networkName}`;
}

/** DnsNames over a function that lists a network's endpoints at query time. */
export function dnsNamesFrom(view: (networkId: string) => DnsNetworkView | undefined): DnsNames {
  return {
    lookup: (id, name, client) => { const v = view(id); return v ? matchName(v, name, client) : []; },
    reverse: (id, ip) => { const v = view(id); return v && reverseName(v, ip); },
  };
}
