/** Networks: records and their bridges (NetworkService), and containers' endpoints on them (EndpointAttacher). */
export { NetworkService, type NetworkServiceOptions, type NetworkUser } from './network-service';
export { EndpointAttacher, type EndpointAttacherOptions } from './endpoint-attacher';
export { NetworkStore } from './network-store';
export type { NetworkRecord, IpamConfigEntry } from './network-record';
export { isPredefined } from './network-record';
export type { NetworkCreateRequest } from './network-create';
export { EmbeddedDns, type EmbeddedDnsOptions } from './dns-service';
