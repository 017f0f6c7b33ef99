/**
 * `POST /networks/create` checks and the record it makes, with no I/O: the caller supplies the
 * existing networks and the host's routes. Errors in Docker's words and codes.
 */
import { randomBytes } from 'node:crypto';
import {
  containsIp, containsSubnet, firstFreeSubnet, formatCidr, hasHostBits, intToIp, isIPv4, overlaps, parseCidr,
  type PoolSpec, type Subnet,
} from '../../core/network';
import { Conflict, Forbidden, InvalidArgument, NotFound, NotImplemented } from '../../errdefs';
import { BRIDGE_NAME_OPTION, isPredefined, type IpamConfigEntry, type NetworkRecord } from './network-record';

/** The create body as the Engine API sends it. */
export interface NetworkCreateRequest {
  Name?: string;
  CheckDuplicate?: boolean;
  Driver?: string;
  Scope?: string;
  Internal?: boolean;
  Attachable?: boolean;
  Ingress?: boolean;
  EnableIPv6?: boolean;
  ConfigOnly?: boolean;
  ConfigFrom?: { Network?: string } | null;
  IPAM?: { Driver?: string; Config?: IpamConfigEntry[] | null; Options?: Record<string, string> | null } | null;
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

export interface CreateContext {
  existing: NetworkRecord[];
  /** Destinations of the host's routes (CIDRs): automatic subnets avoid them. */
  routes: string[];
  pools: PoolSpec[];
}

const UNSUPPORTED_DRIVERS = ['overlay', 'macvlan', 'ipvlan'];
/** Linux interface names: at most 15 bytes, no `/`, `:` or whitespace. */
const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;

export function planNetwork(req: NetworkCreateRequest, ctx: CreateContext): NetworkRecord {
  const name = req.Name ?? '';
  if (!name) throw new InvalidArgument('invalid name: ');
  if (isPredefined(name)) throw new Forbidden(`operation is not permitted on predefined ${name} network `);
  if (ctx.existing.some((n) => n.name === name)) throw new Conflict(`network with name ${name} already exists`);
  const driver = req.Driver || 'bridge';
  if (driver === 'host' || driver === 'null') throw new Forbidden(`only one instance of "${driver}" network is allowed`);
  if (UNSUPPORTED_DRIVERS.includes(driver)) throw new NotImplemented(`network driver ${driver} is not supported by berth`);
  if (driver !== 'bridge') throw new NotFound(`plugin "${driver}" not found`);
  const ipamDriver = req.IPAM?.Driver || 'default';
  if (ipamDriver !== 'default') throw new NotFound(`plugin "${ipamDriver}" not found`);
  if (req.EnableIPv6) throw new NotImplemented('IPv6 networks are not supported by berth');
  if (req.ConfigOnly || req.ConfigFrom?.Network) throw new NotImplemented('config-only networks are not supported by berth');
  const options = { ...(req.Options ?? {}) };
  const bridge = options[BRIDGE_NAME_OPTION];
  if (bridge !== undefined) {
    if (!IFNAME.test(bridge)) throw new InvalidArgument(`invalid bridge name ${JSON.stringify(bridge)}: at most 15 letters, digits, '_', '.' or '-'`);
    const other = ctx.existing.find((n) => n.bridge === bridge);
    if (other) throw new Forbidden(`conflicts with network ${other.id} (${other.name}) by bridge name`);
  }

  const entries = (req.IPAM?.Config ?? []).filter((c) => c && (c.Subnet || c.Gateway || c.IPRange));
  if (entries.length > 1) throw new NotImplemented('berth networks take one IPv4 subnet');
  const given = entries[0];
  const taken = ctx.existing.filter((n) => n.subnet).map((n) => parseCidr(n.subnet!));
  let subnet: Subnet;
  let config: IpamConfigEntry;
  if (given?.Subnet) {
    subnet = checkIpam(given);
    const routes = ctx.routes.map((r) => parseCidr(r));
    if ([...taken, ...routes].some((t) => overlaps(t, subnet))) throw new Forbidden('Pool overlaps with other one on this address space');
    config = { Subnet: given.Subnet, ...(given.IPRange ? { IPRange: given.IPRange } : {}), ...(given.Gateway ? { Gateway: given.Gateway } : {}) };
  } else {
    if (given?.Gateway) throw new InvalidArgument(`no matching subnet for gateway ${given.Gateway}`);
    if (given?.IPRange) throw new InvalidArgument(`no matching subnet for ip-range ${given.IPRange}`);
    const free = firstFreeSubnet(ctx.pools, [...taken, ...ctx.routes.map((r) => parseCidr(r))]);
    if (!free) throw new Forbidden('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
    subnet = free;
    config = { Subnet: formatCidr(free), Gateway: intToIp(free.base + 1) };
  }
  const id = randomBytes(32).toString('hex');
  return {
    id, name, created: new Date().toISOString(), driver: 'bridge',
    internal: !!req.Internal, attachable: !!req.Attachable, enableIPv6: false,
    ipam: { driver: 'default', options: { ...(req.IPAM?.Options ?? {}) }, config: [config] },
    options, labels: { ...(req.Labels ?? {}) },
    bridge: bridge ?? `br-${id.slice(0, 12)}`,
    subnet: formatCidr(subnet),
    gateway: given?.Gateway || intToIp(subnet.base + 1),
    ...(given?.IPRange ? { ipRange: given.IPRange } : {}),
    userSubnet: !!given?.Subnet,
  };
}

/** Docker's IPAM validation (api/types/network ValidateIPAM) for one IPv4 entry. */
function checkIpam(c: IpamConfigEntry): Subnet {
  const errors: string[] = [];
  let subnet: Subnet;
  try { subnet = parseCidr(c.Subnet!); } catch { throw new InvalidArgument(`subnet ${JSON.stringify(c.Subnet)} is an invalid prefix`); }
  if (hasHostBits(c.Subnet!)) errors.push(`subnet ${c.Subnet} has some bits set in its host fragment`);
  if (c.IPRange) {
    let range: Subnet | undefined;
    try { range = parseCidr(c.IPRange); } catch { errors.push(`invalid ip-range: ip-range ${JSON.stringify(c.IPRange)} is an invalid prefix`); }
    if (range) {
      if (hasHostBits(c.IPRange)) errors.push(`ip-range ${c.IPRange} has some bits set in its host fragment`);
      if (range.prefix < subnet.prefix) errors.push(`ip-range ${c.IPRange} is bigger than its associated subnet`);
      else if (!containsSubnet(subnet, range)) errors.push(`subnet doesn't contain ip-range ${c.IPRange}`);
    }
  }
  if (c.Gateway) {
    if (!isIPv4(c.Gateway)) errors.push(`invalid gateway: invalid address: ParseAddr(${JSON.stringify(c.Gateway)}): unable to parse IP`);
    else if (!containsIp(subnet, c.Gateway)) errors.push(`invalid gateway: address (${c.Gateway}) is outside of subnet (${c.Subnet})`);
  }
  if (errors.length) throw new InvalidArgument(errors.join('\n'));
  return subnet;
}
