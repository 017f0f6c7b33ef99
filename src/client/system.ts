/** System endpoints of the Engine API. */
import type { Transport } from './transport';
import type { DiskUsage, SystemInfo, VersionInfo } from './types';

export class SystemApi {
  constructor(private readonly t: Transport) {}

  version(): Promise<VersionInfo> { return this.t.json('GET', '/version'); }
  info(): Promise<SystemInfo> { return this.t.json('GET', '/info'); }
  df(): Promise<DiskUsage> { return this.t.json('GET', '/system/df'); }
  async ping(): Promise<boolean> {
    await this.t.send('GET', '/_ping');
    return true;
  }
}
