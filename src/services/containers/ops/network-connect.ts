/**
 * `network connect` and `network disconnect` for one container, under its lock: a running
 * container gets (loses) an interface at once, any other only has its record changed, for its
 * next start.
 */
import { endpointsOf, HOST_SWITCH, PRIVATE_MODE, SHARED_NAMESPACE, type EndpointConfig } from '../../../core/network';
import { Forbidden, InvalidArgument, isNotFound } from '../../../errdefs';
import { containerNetworks } from '../container-networks';
import { refreshEtcFiles } from '../etc-setup';
import type { ContainerService } from '../container-service';
import { effectiveNetworkMode, type ContainerRecord } from '../types';


const live = (rec: ContainerRecord) => !!rec.sandbox && (rec.state.status === 'running' || rec.state.status === 'paused');

export async function connectContainer(svc: ContainerService, ref: string, network: string, config: EndpointConfig = {}): Promise<void> {
  const id = svc.store.get(ref).id;
  await svc.locked(id, async () => {
    const rec = svc.store.get(id);
    const mode = effectiveNetworkMode(rec.hostConfig);
    if (mode.startsWith('container:')) throw new InvalidArgument(SHARED_NAMESPACE);
    const [[name, settings]] = Object.entries(svc.ctx.network.resolve(network, { [network]: config }));
    const current = containerNetworks(rec);
    if (live(rec)) {
      const ep = await svc.ctx.network.connect(rec.sandbox!, { containerId: rec.id, containerName: rec.name, network: settings.NetworkID ?? name, config: settings });
      rec.sandbox = { ...rec.sandbox!, endpoints: [...endpointsOf(rec.sandbox), ep] };
    } else {
      if (name === 'host' || mode === 'host') throw new InvalidArgument(HOST_SWITCH);
      if ((name === 'none' || mode === 'none') && name !== mode) throw new InvalidArgument(PRIVATE_MODE);
    }
    rec.networks = { ...current, [name]: settings };
    await svc.store.save(rec);
    if (live(rec)) await refreshEtcFiles(svc.ctx, rec);
  });
}

/**
 * Forbidden `container <id> is not connected to network <name>` when it is not; with force, a
 * network that no longer exists is dropped from the record all the same.
 */
export async function disconnectContainer(svc: ContainerService, ref: string, network: string, force = false): Promise<void> {
  const id = svc.store.get(ref).id;
  await svc.locked(id, async () => {
    const rec = svc.store.get(id);
    const current = containerNetworks(rec);
    let name: string;
    let networkId: string | undefined;
    try {
      [[name, { NetworkID: networkId }]] = Object.entries(svc.ctx.network.resolve(network));
    } catch (e) {
      const recorded = Object.keys(current).find((k) => k === network || current[k].NetworkID === network);
      if (!isNotFound(e) || !force || !recorded) throw e;
      [name, networkId] = [recorded, current[recorded].NetworkID];
    }
    const key = Object.keys(current).find((k) => k === name || (networkId && current[k].NetworkID === networkId));
    const ep = endpointsOf(rec.sandbox).find((e) => e.networkId === networkId || e.networkName === name);
    if (!key && !(live(rec) && ep)) throw new Forbidden(`container ${rec.id} is not connected to network ${name}`);
    if (name === 'host' || effectiveNetworkMode(rec.hostConfig) === 'host') throw new InvalidArgument(HOST_SWITCH);
    if (live(rec) && ep) {
      await svc.ctx.network.disconnect(rec.sandbox!, ep);
      rec.sandbox = { ...rec.sandbox!, endpoints: endpointsOf(rec.sandbox).filter((e) => e.endpointId !== ep.endpointId) };
    }
    const next = { ...current };
    if (key) delete next[key];
    rec.networks = next;
    await svc.store.save(rec);
    if (live(rec)) await refreshEtcFiles(svc.ctx, rec);
  });
}

