import { apiAtLeast } from '../../engine-api';
import { endpointsOf } from '../../core/network';
import { containerNetworks, type ContainerRecord } from '../../services/containers';

const isUserNetwork = (name: string) => !['bridge', 'host', 'none'].includes(name);

/**
 * NetworkSettings.Networks: every network the container is connected to, with its endpoint's
 * address while it runs. Before API 1.44 a user-defined network's Aliases end with the short
 * ID (and DNSNames is null); from 1.44 those names are in DNSNames (name, aliases, short ID,
 * hostname).
 */
export function networksDto(rec: ContainerRecord, apiVersion = '1.44') {
  const eps = endpointsOf(rec.sandbox);
  const modern = apiAtLeast(apiVersion, '1.44');
  const out: Record<string, unknown> = {};
  for (const [name, cfg] of Object.entries(containerNetworks(rec))) {
    const e = eps.find((x) => x.networkName === name || (!!cfg.NetworkID && x.networkId === cfg.NetworkID));
    const user = isUserNetwork(name) && !!e;
    const shortId = rec.id.slice(0, 12);
    const aliases = cfg.Aliases ?? null;
    out[name] = {
      IPAMConfig: cfg.IPAMConfig ?? null,
      Links: cfg.Links ?? null,
      Aliases: user && !modern ? [...(aliases ?? []), shortId] : aliases,
      MacAddress: e?.macAddress ?? '',
      DriverOpts: cfg.DriverOpts ?? null,
      NetworkID: e?.networkId ?? '',
      EndpointID: e?.endpointId ?? '',
      Gateway: e?.gateway ?? '',
      IPAddress: e?.ipAddress ?? '',
      IPPrefixLen: e?.prefixLen ?? 0,
      IPv6Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      DNSNames: user && modern ? [...new Set([rec.name, ...(aliases ?? []), shortId, rec.config.Hostname].filter(Boolean))] : null,
    };
  }
  return out;
}

/** The deprecated top-level NetworkSettings fields: the default bridge's endpoint, as Docker. */
export function bridgeFields(rec: ContainerRecord) {
  const e = endpointsOf(rec.sandbox).find((x) => x.networkName === 'bridge');
  return {
    EndpointID: e?.endpointId ?? '', Gateway: e?.gateway ?? '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0,
    IPAddress: e?.ipAddress ?? '', IPPrefixLen: e?.prefixLen ?? 0, IPv6Gateway: '', MacAddress: e?.macAddress ?? '',
  };
}
