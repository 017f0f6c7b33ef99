export { IpBridgeHost, type BridgeHostOptions } from './bridge-host';
export { NetnsSandboxes } from './netns-sandboxes';
export { NftPortMapper, type PortMapperOptions } from './port-mapper';
export { SocketPortReserver, ephemeralPortRange } from './port-reserver';
