/** Volume endpoints of the Engine API. */
import { encodeFilters } from './containers';
import type { Transport } from './transport';

/** A volume as the Engine API returns it. */
export interface VolumeInfo {
  CreatedAt: string;
  Driver: string;
  Labels: Record<string, string> | null;
  Mountpoint: string;
  Name: string;
  Options: Record<string, string> | null;
  Scope: string;
  UsageData?: { RefCount: number; Size: number } | null;
}

export interface VolumeCreateBody { Name?: string; Driver?: string; DriverOpts?: Record<string, string>; Labels?: Record<string, string> }

export interface VolumesPruneReport { VolumesDeleted: string[] | null; SpaceReclaimed: number }

const enc = (name: string) => encodeURIComponent(name);

export class VolumesApi {
  constructor(private readonly t: Transport) {}

  list(o: { filters?: Record<string, string[]> } = {}): Promise<{ Volumes: VolumeInfo[] | null; Warnings: string[] | null }> {
    return this.t.json('GET', '/volumes', { query: { filters: encodeFilters(o.filters) } });
  }
  create(body: VolumeCreateBody): Promise<VolumeInfo> {
    return this.t.json('POST', '/volumes/create', { body });
  }
  inspect(name: string): Promise<VolumeInfo> {
    return this.t.json('GET', `/volumes/${enc(name)}`);
  }
  remove(name: string, o: { force?: boolean } = {}): Promise<void> {
    return this.t.send('DELETE', `/volumes/${enc(name)}`, { query: { force: o.force } });
  }
  prune(o: { filters?: Record<string, string[]> } = {}): Promise<VolumesPruneReport> {
    return this.t.json('POST', '/volumes/prune', { query: { filters: encodeFilters(o.filters) } });
  }
}
