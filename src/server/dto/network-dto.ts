import type { NetworkRecord, NetworkService } from '../../services/networks';

/** A network as `GET /networks` and `GET /networks/{id}` answer (Docker's NetworkResource); the list leaves Containers empty, as Docker's. */
export function networkResource(n: NetworkRecord, svc?: NetworkService) {
  const containers = svc
    ? Object.fromEntries(svc.endpoints(n).map(({ container, endpoint: e }) => [container.id, {
      Name: container.name, EndpointID: e.endpointId, MacAddress: e.macAddress,
      IPv4Address: e.ipAddress ? `${e.ipAddress}/${e.prefixLen}` : '', IPv6Address: '',
    }]))
    : {};
  return {
    Name: n.name,
    Id: n.id,
    Created: n.created,
    Scope: 'local',
    Driver: n.driver,
    EnableIPv6: n.enableIPv6,
    IPAM: { Driver: n.ipam.driver, Options: n.ipam.options, Config: n.ipam.config },
    Internal: n.internal,
    Attachable: n.attachable,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: n.options,
    Labels: n.labels,
  };
}
