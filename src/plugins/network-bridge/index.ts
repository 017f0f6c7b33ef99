export { IpBridgeHost, type BridgeHostOptions } from './bridge-host';
export { NetnsSandboxes } from './netns-sandboxes';
export { IccRules } from './icc-rules';
export { NftPortMapper, type PortMapperOptions } from './port-mapper';
export { SocketPortReserver, ephemeralPortRange } from './port-reserver';
