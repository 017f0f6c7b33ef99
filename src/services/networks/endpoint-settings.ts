/** A container's settings for one network (Docker's EndpointSettings): checks and the recorded form. */
import { containsIp, isIPv4, parseCidr, type EndpointConfig } from '../../core/network';
import { InvalidArgument } from '../../errdefs';
import { isUserDefined, type NetworkRecord } from './network-record';


/** InvalidArgument in Docker's words for aliases or an address the network cannot take. */
export function checkEndpoint(n: NetworkRecord, cfg: EndpointConfig): void {
  if (cfg.Aliases?.length && !isUserDefined(n)) throw new InvalidArgument('network-scoped aliases are only supported for user-defined networks');
  const ip = cfg.IPAMConfig?.IPv4Address;
  const ip6 = cfg.IPAMConfig?.IPv6Address;
  if (!ip && !ip6) return;
  if (!isUserDefined(n)) throw new InvalidArgument('user specified IP address is supported on user defined networks only');
  // berth's networks have no IPv6 subnet.
  if (ip6) throw new InvalidArgument('user specified IP address is supported only when connecting to networks with user configured subnets');
  if (!ip) return;
  if (!n.userSubnet) throw new InvalidArgument('user specified IP address is supported only when connecting to networks with user configured subnets');
  if (!isIPv4(ip)) throw new InvalidArgument(`invalid IPv4 address: ${ip}`);
  if (!containsIp(parseCidr(n.subnet!), ip)) throw new InvalidArgument(`Invalid address ${ip}: It does not belong to any of this network's subnets`);
}

/** What a container records for a network: the user's settings and the network's ID. */
export function endpointSettings(n: NetworkRecord, cfg: EndpointConfig): EndpointConfig {
  const ipam = cfg.IPAMConfig && Object.values(cfg.IPAMConfig).some((v) => v && (!Array.isArray(v) || v.length)) ? cfg.IPAMConfig : null;
  return {
    IPAMConfig: ipam,
    Links: cfg.Links?.length ? cfg.Links : null,
    Aliases: cfg.Aliases?.length ? cfg.Aliases : null,
    DriverOpts: cfg.DriverOpts ?? null,
    ...(cfg.MacAddress ? { MacAddress: cfg.MacAddress } : {}),
    NetworkID: n.id,
  };
}
