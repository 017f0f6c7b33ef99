/** The typed Engine API client: one transport, one API object per resource. */
import { BuildApi } from './build';
import { ContainersApi } from './containers';
import { ExecApi } from './exec';
import { resolveHost, type DaemonHost } from './host';
import { ImagesApi } from './images';
import { NetworksApi } from './networks';
import { SystemApi } from './system';
import { Transport, type TransportOptions } from './transport';
import { VolumesApi } from './volumes';
import { RegistryApi } from './registry';

export interface EngineClientOptions {
  host?: DaemonHost;
  apiVersion?: string;
  /** Lower the API version to the server's on first use (`HEAD /_ping`), as docker does. */
  negotiate?: boolean;
}

export class EngineClient {
  readonly transport: Transport;
  readonly build: BuildApi;
  readonly containers: ContainersApi;
  readonly exec: ExecApi;
  readonly images: ImagesApi;
  readonly networks: NetworksApi;
  readonly registry: RegistryApi;
  readonly system: SystemApi;
  readonly volumes: VolumesApi;

  constructor(opts: EngineClientOptions = {}) {
    const t: TransportOptions = { host: opts.host ?? resolveHost(undefined), apiVersion: opts.apiVersion, negotiate: opts.negotiate };
    this.transport = new Transport(t);
    this.build = new BuildApi(this.transport);
    this.containers = new ContainersApi(this.transport);
    this.exec = new ExecApi(this.transport);
    this.images = new ImagesApi(this.transport);
    this.networks = new NetworksApi(this.transport);
    this.registry = new RegistryApi(this.transport);
    this.system = new SystemApi(this.transport);
    this.volumes = new VolumesApi(this.transport);
  }

  get host(): DaemonHost { return this.transport.host; }
}
