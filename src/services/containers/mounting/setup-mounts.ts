/**
 * Start-time mounts: the record's mount points as OCI mounts, in Docker's order (shallow
 * destinations first), volumes mounted through the volumes service, bind sources made when a
 * `-v` bind's is missing, and bind propagation checked against the source's mount as dockerd
 * does. `--tmpfs` entries come last, as before.
 */
import { mkdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgument, hasErrno } from '../../../errdefs';
import type { OciMount } from '../../../core/runtime';
import type { MountHost } from '../../../core/volumes';
import type { ContainerVolumes } from '../deps';
import type { ContainerRecord } from '../types';
import { mountPointsOf } from './mount-list';
import type { MountPoint } from './mount-point';

export interface SetupDeps { volumes: ContainerVolumes; mountHost: MountHost }

const depth = (p: string) => p.split('/').filter(Boolean).length;

/** Docker's check: a shared bind needs a shared source, a slave one a shared or slave source. */
async function checkPropagation(host: MountHost, m: MountPoint): Promise<void> {
  const p = m.propagation.replace(/^r/, '');
  if (p !== 'shared' && p !== 'slave') return;
  const info = await host.propagationOf(m.source);
  if (p === 'shared' && !info.shared) throw new InvalidArgument(`path ${m.source} is mounted on ${info.mountpoint} but it is not a shared mount`);
  if (p === 'slave' && !info.shared && !info.slave) throw new InvalidArgument(`path ${m.source} is mounted on ${info.mountpoint} but it is not a shared or slave mount`);
}

/** A volume's subpath: it must exist and stay inside the volume once symlinks are followed. */
async function subpathIn(base: string, sub: string): Promise<string> {
  const full = join(base, sub);
  let real: string;
  try { real = await realpath(full); } catch (e) {
    throw new InvalidArgument(`cannot access path ${full}: ${hasErrno(e, 'ENOENT') ? 'no such file or directory' : (e as Error).message}`, { cause: e });
  }
  const root = await realpath(base);
  if (real !== root && !real.startsWith(`${root}/`)) throw new InvalidArgument(`cannot access path ${full}: it leads out of the volume`);
  return real;
}

async function ociMount(deps: SetupDeps, rec: ContainerRecord, m: MountPoint): Promise<OciMount> {
  const ro = m.rw ? [] : ['ro'];
  if (m.type === 'tmpfs') {
    return { destination: m.destination, type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'noexec', ...(m.tmpfsOptions ?? []), ...(m.tmpfsOptions?.includes('ro') ? [] : ro)] };
  }
  if (m.type === 'volume') {
    const path = await deps.volumes.mount(m.name!, rec.id, { destination: m.destination, rw: m.rw, propagation: m.propagation });
    const source = m.subpath ? await subpathIn(path, m.subpath) : path;
    return { destination: m.destination, type: 'bind', source, options: ['rbind', 'rprivate', ...ro] };
  }
  // As dockerd: a missing bind source becomes a directory; an existing file or socket is bound as it is.
  if (m.createSource) await mkdir(m.source, { recursive: true }).catch((e) => { if (!hasErrno(e, 'EEXIST')) throw e; });
  await checkPropagation(deps.mountHost, m);
  return { destination: m.destination, type: 'bind', source: m.source, options: ['rbind', m.propagation || 'rprivate', ...ro] };
}

/**
 * The container's OCI mounts. Volumes mounted here are unmounted again when a later one
 * fails; `releaseMounts` undoes a success when the container stops.
 */
export async function setupMounts(deps: SetupDeps, rec: ContainerRecord): Promise<OciMount[]> {
  const points = [...mountPointsOf(rec)].sort((a, b) => depth(a.destination) - depth(b.destination));
  const out: OciMount[] = [];
  try {
    for (const m of points) out.push(await ociMount(deps, rec, m));
  } catch (e) {
    await releaseMounts(deps, rec);
    throw e;
  }
  for (const [path, opts] of Object.entries((rec.hostConfig.Tmpfs as Record<string, string> | undefined) ?? {})) {
    out.push({ destination: path, type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'noexec', ...(opts ? opts.split(',') : [])] });
  }
  return out;
}

/** Ends the container's mounts of its volumes (idempotent). */
export async function releaseMounts(deps: SetupDeps, rec: ContainerRecord): Promise<void> {
  for (const m of mountPointsOf(rec)) {
    if (m.type === 'volume' && m.name) await deps.volumes.unmount(m.name, rec.id);
  }
}
