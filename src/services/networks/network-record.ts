/**
 * A network as berthd records it. `ipam.config`, `options` and `labels` keep the Engine API's
 * own shapes, as the user gave them; `bridge`, `subnet` and `gateway` are what is in use,
 * whether given or chosen.
 */
import type { BridgeRules } from '../../core/network';

export interface IpamConfigEntry { Subnet?: string; IPRange?: string; Gateway?: string; AuxiliaryAddresses?: Record<string, string> }

export interface NetworkRecord {
  id: string;
  name: string;
  created: string;
  driver: 'bridge' | 'host' | 'null';
  internal: boolean;
  attachable: boolean;
  enableIPv6: boolean;
  ipam: { driver: string; options: Record<string, string> | null; config: IpamConfigEntry[] };
  options: Record<string, string>;
  labels: Record<string, string>;
  /** Bridge driver: the Linux bridge. */
  bridge?: string;
  /** Bridge driver: the subnet (CIDR) and the bridge's own address. */
  subnet?: string;
  gateway?: string;
  /** Bridge driver: where dynamic addresses come from, when narrower than the subnet. */
  ipRange?: string;
  /** True when the user gave the subnet: only then may containers ask for an address. */
  userSubnet?: boolean;
  /** Set while its removal is under way; the next daemon start finishes it. */
  removing?: boolean;
}

/** The networks every daemon has, which cannot be created or removed. */
export const PREDEFINED = ['bridge', 'host', 'none'] as const;

export const isPredefined = (name: string) => (PREDEFINED as readonly string[]).includes(name);

/** Docker's "user-defined": any network but the predefined ones. */
export const isUserDefined = (n: NetworkRecord) => !isPredefined(n.name);

export const MASQUERADE_OPTION = 'com.docker.network.bridge.enable_ip_masquerade';
export const BRIDGE_NAME_OPTION = 'com.docker.network.bridge.name';

/** What the rules of a bridge network need from its record. */
export function bridgeRulesOf(n: NetworkRecord): BridgeRules {
  return { bridge: n.bridge!, subnet: n.subnet!, internal: n.internal, masquerade: n.options[MASQUERADE_OPTION] !== 'false' };
}
