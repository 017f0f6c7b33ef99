/** Network endpoints of the Engine API. */
import { encodeFilters } from './containers';
import type { Transport } from './transport';

const enc = encodeURIComponent;

export interface IpamConfig { Subnet?: string; IPRange?: string; Gateway?: string }

/** A network as the engine describes it (NetworkResource). */
export interface NetworkResource {
  Name: string;
  Id: string;
  Created: string;
  Scope: string;
  Driver: string;
  EnableIPv6: boolean;
  IPAM: { Driver: string; Options: Record<string, string> | null; Config: IpamConfig[] | null };
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  Containers: Record<string, { Name: string; EndpointID: string; MacAddress: string; IPv4Address: string; IPv6Address: string }>;
  Options: Record<string, string>;
  Labels: Record<string, string>;
}

export interface NetworkCreateBody {
  Name: string;
  CheckDuplicate?: boolean;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  IPAM?: { Driver?: string; Config?: IpamConfig[]; Options?: Record<string, string> };
  Options?: Record<string, string>;
  Labels?: Record<string, string>;
}

export interface EndpointSettings {
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string } | null;
  Aliases?: string[] | null;
  Links?: string[] | null;
  DriverOpts?: Record<string, string> | null;
}

export class NetworksApi {
  constructor(private readonly t: Transport) {}

  list(o: { filters?: Record<string, string[]> } = {}): Promise<NetworkResource[]> {
    return this.t.json('GET', '/networks', { query: { filters: encodeFilters(o.filters) } });
  }
  inspect(id: string): Promise<NetworkResource> {
    return this.t.json('GET', `/networks/${enc(id)}`);
  }
  create(body: NetworkCreateBody): Promise<{ Id: string; Warning?: string }> {
    return this.t.json('POST', '/networks/create', { body });
  }
  remove(id: string): Promise<void> {
    return this.t.send('DELETE', `/networks/${enc(id)}`);
  }
  connect(network: string, container: string, endpoint?: EndpointSettings): Promise<void> {
    return this.t.send('POST', `/networks/${enc(network)}/connect`, { body: { Container: container, EndpointConfig: endpoint ?? {} } });
  }
  disconnect(network: string, container: string, force = false): Promise<void> {
    return this.t.send('POST', `/networks/${enc(network)}/disconnect`, { body: { Container: container, Force: force } });
  }
  prune(o: { filters?: Record<string, string[]> } = {}): Promise<{ NetworksDeleted: string[] | null }> {
    return this.t.json('POST', '/networks/prune', { query: { filters: encodeFilters(o.filters) } });
  }
}
