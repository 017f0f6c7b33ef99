/** The networks a container is connected to, as its record keeps them (Docker's NetworkSettings.Networks). */
import type { EndpointConfig } from '../../core/network';
import { effectiveNetworkMode, type ContainerRecord } from './types';

/** The recorded networks by name; records of older versions had only their mode's. */
export function containerNetworks(rec: ContainerRecord): Record<string, EndpointConfig> {
  if (rec.networks) return rec.networks;
  const mode = effectiveNetworkMode(rec.hostConfig);
  return mode.startsWith('container:') ? {} : { [mode]: {} };
}

/**
 * The networks to join at start, the mode's first (its gateway is the default route) and the
 * others by name, as Docker orders them.
 */
export function networksToJoin(rec: ContainerRecord): { name: string; config: EndpointConfig }[] {
  const mode = effectiveNetworkMode(rec.hostConfig);
  const all = Object.entries(containerNetworks(rec)).map(([name, config]) => ({ name, config }));
  // The mode names the network by name, or by (a prefix of) its ID.
  const byName = all.some((j) => j.name === mode);
  const isMode = (j: { name: string; config: EndpointConfig }) => (byName ? j.name === mode : !!j.config.NetworkID?.startsWith(mode));
  return [...all.filter(isMode), ...all.filter((j) => !isMode(j)).sort((a, b) => a.name.localeCompare(b.name))];
}
