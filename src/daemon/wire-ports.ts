import { PortPublisher } from '../services/containers';
import { NftPortMapper, SocketPortReserver, ephemeralPortRange } from '../plugins/network-bridge';
import type { DaemonConfig } from './config';
import { nftTableFor } from './wire-networks';

/** Published ports: NAT rules in berth's table (none with `iptables: false`), host ports held by sockets. */
export async function wirePorts(cfg: DaemonConfig): Promise<PortPublisher> {
  return new PortPublisher({
    mapper: new NftPortMapper({ nftTable: nftTableFor(cfg.bridge), rules: cfg.iptables }),
    reserver: new SocketPortReserver(),
    ephemeral: await ephemeralPortRange(),
  });
}
