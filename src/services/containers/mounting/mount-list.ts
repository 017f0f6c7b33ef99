import type { ContainerRecord } from '../types';
import type { MountPoint } from './mount-point';
import { parseBindSpec } from './mount-spec';

/**
 * The container's mount points: those resolved at create, or for a record written before
 * mounts were kept, its `-v` binds read again.
 */
export function mountPointsOf(rec: ContainerRecord): MountPoint[] {
  if (rec.mounts) return rec.mounts;
  return (rec.hostConfig.Binds ?? []).flatMap((b) => {
    try { const { copyData: _c, volume: _v, ...p } = parseBindSpec(b); return p.type === 'bind' ? [p] : []; } catch { return []; }
  });
}

/** One entry of `Mounts` in container inspect and list, in Docker's shape and field order. */
export interface MountJson {
  Type: string; Name?: string; Source: string; Destination: string; Driver?: string;
  Mode: string; RW: boolean; Propagation: string;
}

export function mountsJson(rec: ContainerRecord): MountJson[] {
  return mountPointsOf(rec).map((m) => m.type === 'volume'
    ? { Type: 'volume', Name: m.name, Source: m.source, Destination: m.destination, Driver: m.driver, Mode: m.mode, RW: m.rw, Propagation: m.propagation }
    : { Type: m.type, Source: m.source, Destination: m.destination, Mode: m.mode, RW: m.rw, Propagation: m.propagation });
}

/** Docker's `volume` filter of `ps`: a volume's name, a bind's source, or any destination. */
export function usesVolume(rec: ContainerRecord, value: string): boolean {
  return mountPointsOf(rec).some((m) => m.destination === value || (m.type === 'volume' ? m.name === value : m.source === value));
}

/** The names of the volumes a container's record references. */
export function volumeNames(rec: ContainerRecord): string[] {
  return mountPointsOf(rec).flatMap((m) => (m.type === 'volume' && m.name ? [m.name] : []));
}
