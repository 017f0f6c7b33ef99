/**
 * The kernel side of bridge networking, in two roles: the host's bridges and rules, and the
 * containers' namespaces. Implementations are the only code that changes links, addresses,
 * routes and nftables; they never touch a link, route or rule they did not make.
 */
import type { IdMap } from '../../lib/id-map';

/** A bridge network as its rules need it. */
export interface BridgeRules {
  bridge: string;
  subnet: string;
  /** No traffic in or out of the bridge but between its own endpoints. */
  internal: boolean;
  /** Outbound traffic of the subnet leaves with the host's address. */
  masquerade: boolean;
}

export interface BridgeHost {
  /** The IPv4 address an existing bridge has; undefined when there is no such link or no address. */
  bridgeAddress(name: string): Promise<{ subnet: string; gateway: string } | undefined>;
  linkExists(name: string): Promise<boolean>;
  /** Creates the bridge, or keeps it, with the gateway address (`gateway/prefixLen`) as its only IPv4 address, and sets it up. */
  createBridge(name: string, gateway: string, prefixLen: number): Promise<void>;
  /** Deletes the bridge; a missing one is not an error. */
  removeBridge(name: string): Promise<void>;
  /** The IPv4 destinations of the host's routes, every table, as CIDRs (the default route left out). */
  hostRoutes(): Promise<string[]>;
  /** Sets net.ipv4.ip_forward. */
  enableForwarding(): Promise<void>;
  /**
   * Rewrites berth's rules for exactly these bridges: masquerade, isolation between them,
   * internal networks closed, and accepts in a foreign FORWARD chain whose policy would drop
   * their traffic. Rules of bridges not listed are removed.
   */
  syncRules(nets: BridgeRules[]): Promise<void>;
}

/** One veth of a sandbox: the container side's name and address, and the bridge it plugs into. */
export interface LinkSpec {
  ifname: string;
  mac: string;
  ip: string;
  prefixLen: number;
  bridge: string;
}

export interface SandboxNetns {
  /**
   * A new namespace with `lo` up and the links, the default route via gateway if given.
   * Returns its path. Nothing of it is left when it fails. With idMap, the namespace is owned
   * by a new user namespace with that mapping (which the container then joins).
   */
  createSandbox(name: string, links: LinkSpec[], gateway?: string, opts?: { idMap?: IdMap }): Promise<string>;
  /** Adds links to an existing namespace (and the default route via gateway, if given). */
  addLinks(path: string, links: LinkSpec[], gateway?: string): Promise<void>;
  /** Deletes a link of the namespace (its host-side peer goes with it). */
  removeLink(path: string, ifname: string): Promise<void>;
  /** Replaces the default route, or removes it when gateway is undefined. */
  setDefaultRoute(path: string, gateway: string | undefined): Promise<void>;
  /** Releases the namespace (its links go with it); a missing one is not an error. */
  removeSandbox(path: string): Promise<void>;
  /** Paths of every namespace made by this driver that still exists. */
  listSandboxes(): Promise<string[]>;
}
