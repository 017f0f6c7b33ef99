/**
 * Vocabulary: a *network* is a named record (bridge, host, none, or a user-defined bridge); an
 * *endpoint* is one container's place on one network while it runs (an interface, an address);
 * a *sandbox* is the container's network namespace holding its endpoints.
 */
import type { IdMap } from '../../lib/id-map';

/** A container's place on one network while it runs. */
export interface Endpoint {
  networkName: string;
  networkId: string;
  endpointId: string;
  /** The interface inside the container (eth0, eth1, ...); '' on host and none. */
  ifname: string;
  /** The Linux bridge on the host its veth is plugged into; '' on host and none. */
  bridge: string;
  /** '' on host and none. */
  ipAddress: string;
  prefixLen: number;
  /** '' when the network gives no route out (internal, host, none). */
  gateway: string;
  macAddress: string;
}

/** A started container's network namespace, as its record keeps it. */
export interface SandboxRef {
  /** A network namespace path, or 'host'. */
  netns: string;
  /** True when the namespace is the container's own, to release when it stops. */
  owned: boolean;
  /** The container the sandbox belongs to (absent in records of older versions). */
  containerId?: string;
  /** One per network, in attach order; the first with a gateway holds the default route. */
  endpoints?: Endpoint[];
  /** Records written before multi-network support kept their one endpoint here. */
  endpoint?: Endpoint;
}

/** A sandbox's endpoints, whichever version wrote the record. */
export function endpointsOf(s: SandboxRef | undefined): Endpoint[] {
  if (!s) return [];
  return s.endpoints ?? (s.endpoint ? [s.endpoint] : []);
}

/** Where a started container's network lives, and what its /etc files need from it. */
export interface SandboxInfo extends SandboxRef {
  endpoints: Endpoint[];
  /** The resolv.conf to derive the container's from. */
  resolvConf: string;
  /** `name:ip` entries for /etc/hosts beyond the defaults. */
  extraHosts: string[];
}

/** What a container asks of one network (Docker's EndpointSettings as the user gives them). */
export interface EndpointConfig {
  /** Set once the network is resolved; endpoints follow the network, not its name. */
  NetworkID?: string;
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] } | null;
  Aliases?: string[] | null;
  Links?: string[] | null;
  DriverOpts?: Record<string, string> | null;
  MacAddress?: string;
}

export interface AttachRequest {
  containerId: string;
  /** Without the leading slash. */
  containerName: string;
  /** Docker's NetworkMode: bridge, host, none, container:<id>, or a network's name or ID. */
  mode: string;
  /** For container:<id> mode: the other container's namespace path. */
  peerNetns?: string;
  /** The networks to join by name with their settings (for bridge-driver modes), the mode's first. */
  networks?: { name: string; config: EndpointConfig }[];
  /** A container in a user namespace (`--userns-remap`): its new namespace is owned by one with this mapping. */
  idMap?: IdMap;
}

/** Gives containers their network. Errors use Docker's words (`network x not found`). */
export interface NetworkAttacher {
  /**
   * Checks a create request's networking and returns the settings to record, keyed by network
   * name: the mode's network (none for container:<id>) and the other EndpointsConfig entries.
   * NotFound `network x not found`; InvalidArgument for settings Docker refuses.
   */
  resolve(mode: string, endpoints?: Record<string, EndpointConfig>): Record<string, EndpointConfig>;
  attach(req: AttachRequest): Promise<SandboxInfo>;
  /**
   * Adds an endpoint on one more network to a started sandbox and returns it. NotFound for an
   * unknown network; Forbidden `endpoint with name x already exists in network y`.
   */
  connect(sandbox: SandboxRef, req: { containerId: string; containerName: string; network: string; config: EndpointConfig }): Promise<Endpoint>;
  /** Removes one endpoint of a started sandbox (its interface, its address). */
  disconnect(sandbox: SandboxRef, endpoint: Endpoint): Promise<void>;
  /** Releases an owned namespace and the endpoints' addresses; idempotent. */
  detach(sandbox: SandboxRef): Promise<void>;
  /**
   * At daemon start: keeps the sandboxes of containers that kept running and releases every
   * other namespace a previous run left behind.
   */
  restore(live: SandboxRef[]): Promise<void>;
  /** Releases what the attacher holds for later use (prepared namespaces). */
  close(): Promise<void>;
}
