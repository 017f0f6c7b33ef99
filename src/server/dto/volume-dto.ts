import type { Volume } from '../../core/volumes';

/** A volume in the Engine API's shape and field order (`GET /volumes/{name}`). */
export function volumeDto(v: Volume) {
  return {
    CreatedAt: v.createdAt, Driver: v.driver, Labels: v.labels, Mountpoint: v.mountpoint,
    Name: v.name, Options: v.options, Scope: v.scope,
  };
}

/** The same with UsageData, for `GET /system/df` (Size -1 when it could not be computed). */
export function volumeUsageDto(u: { volume: Volume; size: number; refCount: number }) {
  return { ...volumeDto(u.volume), UsageData: { RefCount: u.refCount, Size: u.size } };
}
