export { IpBridgeHost, type BridgeHostOptions } from './bridge-host';
export { NetnsSandboxes } from './netns-sandboxes';
