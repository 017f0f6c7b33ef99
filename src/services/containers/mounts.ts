import { mkdir } from 'node:fs/promises';
import { isAbsolute, posix } from 'node:path';
import { InvalidArgument, NotImplemented } from '../../errdefs';
import type { OciMount } from '../../core/runtime';
import type { HostConfig } from './types';

/** One `-v src:dst[:opts]` bind, parsed. */
export interface BindSpec { source: string; destination: string; readonly: boolean; propagation: string }

/** A normalised absolute path without a trailing slash (`/a//b/` -> `/a/b`). */
const cleanPath = (p: string) => { const n = posix.normalize(p); return n.length > 1 ? n.replace(/\/+$/, '') : n; };

const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'];

/**
 * Parses a `HostConfig.Binds` entry as Docker does. Host paths are binds; a name as the source
 * is a named volume, which the volumes subsystem provides (refused here until it exists).
 */
export function parseBind(spec: string): BindSpec {
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p, i) => p === '' && i < 2)) {
    throw new InvalidArgument(`invalid volume specification: '${spec}'`);
  }
  const [source, destination, opts = ''] = parts;
  if (!isAbsolute(destination)) throw new InvalidArgument(`invalid volume specification: '${spec}': invalid mount config for type "bind": invalid mount path: '${destination}' mount path must be absolute`);
  if (!isAbsolute(source)) throw new NotImplemented(`named volumes are not supported yet: '${spec}'`);
  let readonly = false;
  let propagation = 'rprivate';
  for (const o of opts.split(',').filter(Boolean)) {
    if (o === 'ro') readonly = true;
    else if (o === 'rw') readonly = false;
    else if (PROPAGATIONS.includes(o)) propagation = o;
    else if (['z', 'Z', 'nocopy', 'consistent', 'cached', 'delegated'].includes(o)) continue;
    else throw new InvalidArgument(`invalid mode: ${o}`);
  }
  if (destination === '/') throw new InvalidArgument(`invalid specification: destination can't be '/' in '${spec}'`);
  return { source: cleanPath(source), destination: cleanPath(destination), readonly, propagation };
}

/**
 * Checks the mount and port settings this engine can honour, at create time: binds and tmpfs
 * are supported; named volumes, `Mounts` and published ports belong to later subsystems and
 * are refused in words rather than ignored.
 */
export function validateHostMounts(hc: Partial<HostConfig>): void {
  for (const b of hc.Binds ?? []) parseBind(b);
  if (Array.isArray(hc.Mounts) && hc.Mounts.length) throw new NotImplemented('--mount is not supported yet; use -v /host/path:/container/path');
  const published = Object.values(hc.PortBindings ?? {}).some((list) => (list ?? []).length > 0);
  if (published || hc.PublishAllPorts) throw new NotImplemented('publishing ports (-p, -P) is not supported yet');
  for (const path of Object.keys((hc.Tmpfs as Record<string, string> | undefined) ?? {})) {
    if (!isAbsolute(path)) throw new InvalidArgument(`invalid tmpfs mount path: ${path}: mount path must be absolute`);
  }
}

/** OCI mounts for a container's binds (host dirs created when missing, as Docker does) and tmpfs. */
export async function hostMounts(hc: HostConfig): Promise<OciMount[]> {
  const out: OciMount[] = [];
  for (const b of (hc.Binds ?? []).map(parseBind)) {
    await mkdir(b.source, { recursive: true });
    out.push({ destination: b.destination, type: 'bind', source: b.source, options: ['rbind', b.propagation, ...(b.readonly ? ['ro'] : [])] });
  }
  for (const [path, opts] of Object.entries((hc.Tmpfs as Record<string, string> | undefined) ?? {})) {
    out.push({ destination: path, type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'noexec', ...(opts ? opts.split(',') : [])] });
  }
  return out;
}
