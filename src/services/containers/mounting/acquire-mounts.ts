/**
 * Create-time resolution of planned mounts: volumes created or referenced for the container,
 * image content copied into new empty volumes (copy-up, as dockerd's populateVolumes), and a
 * rollback that leaves nothing behind when the create fails later.
 */
import { lstat, readdir } from 'node:fs/promises';
import { InvalidArgument, hasErrno } from '../../../errdefs';
import type { MountHost } from '../../../core/volumes';
import { resolvePath } from '../archive/container-view';
import type { ContainerVolumes } from '../deps';
import type { MountPoint, MountRequest } from './mount-point';

export interface AcquireDeps {
  volumes: ContainerVolumes;
  mountHost: MountHost;
  /** The new container's rootfs, mounted for copy-up (only when a volume needs it). */
  rootfs: { mount(): Promise<string>; unmount(): Promise<void> };
}

export interface AcquiredMounts {
  mounts: MountPoint[];
  /** Drops the container's references; volumes this create made are removed. */
  rollback(): Promise<void>;
}

/** The record's part of a request. */
function pointOf(r: MountRequest): MountPoint {
  const { copyData: _c, volume: _v, inherited: _i, fromConfig: _f, ...point } = r;
  return point;
}

export async function acquireMounts(deps: AcquireDeps, containerId: string, requests: MountRequest[]): Promise<AcquiredMounts> {
  const held: { name: string; created: boolean }[] = [];
  const rollback = async () => {
    for (const h of held.reverse()) await deps.volumes.release(h.name, containerId, { remove: h.created }).catch(() => {});
  };
  const mounts: MountPoint[] = [];
  let rootfs: string | undefined;
  try {
    for (const r of requests) {
      if (r.type !== 'volume') { mounts.push(pointOf(r)); continue; }
      if (r.inherited) {
        deps.volumes.reference(r.name!, containerId);
        held.push({ name: r.name!, created: false });
        mounts.push(pointOf(r));
        continue;
      }
      const { volume, created } = await deps.volumes.create(r.volume ?? {}, containerId);
      held.push({ name: volume.name, created });
      mounts.push({ ...pointOf(r), name: volume.name, source: volume.mountpoint, driver: volume.driver });
      if (!r.copyData || r.subpath) continue;
      rootfs ??= await deps.rootfs.mount();
      await copyUp(deps, rootfs, r, volume.name);
    }
  } catch (e) {
    await rollback();
    throw e;
  } finally {
    if (rootfs) await deps.rootfs.unmount().catch(() => {});
  }
  return { mounts, rollback };
}

/** Copies the image's directory at the mount's destination into the volume if the volume is empty. */
async function copyUp(deps: AcquireDeps, rootfs: string, r: MountRequest, name: string): Promise<void> {
  const { hostPath } = await resolvePath({ rootfs, mounts: [] }, r.destination, { followFinal: true });
  const st = await lstat(hostPath).catch((e) => { if (hasErrno(e, 'ENOENT') || hasErrno(e, 'ENOTDIR')) return undefined; throw e; });
  if (!st) return;
  if (!st.isDirectory()) {
    if (r.fromConfig) throw new InvalidArgument(`cannot mount volume over existing file, file exists ${hostPath}`);
    return;
  }
  await deps.volumes.populate(name, async (dir) => {
    if ((await readdir(dir)).length === 0) await deps.mountHost.copyTree(hostPath, dir);
  });
}

/**
 * Drops the references of a container that is being removed; with removeAnonymous (`rm -v`,
 * `--rm`) its anonymous volumes go too when no other container references them. Named
 * volumes are never removed here.
 */
export async function forgetVolumes(volumes: ContainerVolumes, containerId: string, points: MountPoint[], removeAnonymous: boolean): Promise<void> {
  for (const m of points) {
    if (m.type === 'volume' && m.name) await volumes.release(m.name, containerId, { remove: removeAnonymous && !!m.anonymous });
  }
}
