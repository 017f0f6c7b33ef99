/**
 * The mounts a create request asks for, in dockerd's order (daemon/volumes.go
 * registerMountPoints): mounts of `--volumes-from` containers, then `-v` binds over them, then
 * `--mount`, then anonymous volumes for Config.Volumes (image VOLUME, `-v /path`) where nothing
 * is mounted yet. Pure: the volumes are only checked here, not created.
 */
import { InvalidArgument } from '../../../errdefs';
import { newId } from '../../../lib/ids';
import type { ApiMount, MountPoint, MountRequest } from './mount-point';
import { PROPAGATIONS, cleanPath, parseApiMount, parseBindSpec, validMode } from './mount-spec';
import { posix } from 'node:path';

export interface MountPlanInput {
  binds: string[] | null | undefined;
  mounts: ApiMount[] | null | undefined;
  tmpfs: Record<string, string> | null | undefined;
  volumesFrom: string[] | null | undefined;
  volumeDriver: string | undefined;
  /** Config.Volumes: the image's and the request's anonymous volume paths. */
  configVolumes: Record<string, unknown> | null | undefined;
  /** The mounts of the container a `--volumes-from` names; undefined when there is none. */
  mountsOf(ref: string): MountPoint[] | undefined;
}

/** `c[:ro|:rw]` -> the container and whether its mounts stay writable. */
function parseVolumesFrom(spec: string): { ref: string; rw: boolean } {
  if (!spec) throw new InvalidArgument('volumes-from specification cannot be an empty string');
  const i = spec.indexOf(':');
  if (i < 0) return { ref: spec, rw: true };
  const mode = spec.slice(i + 1);
  const opts = mode.split(',');
  // Propagation and copy modes come from the source container, never from here.
  if (!validMode(mode) || opts.some((o) => PROPAGATIONS.includes(o) || o === 'nocopy')) throw new InvalidArgument(`invalid mode: ${mode}`);
  return { ref: spec.slice(0, i), rw: !opts.includes('ro') };
}

const duplicate = (dest: string) => new InvalidArgument(`Duplicate mount point: ${dest}`);

export function planMounts(input: MountPlanInput): MountRequest[] {
  const planned = new Map<string, MountRequest>();
  for (const spec of input.volumesFrom ?? []) {
    const { ref, rw } = parseVolumesFrom(spec);
    const mounts = input.mountsOf(ref);
    if (!mounts) throw new InvalidArgument(`No such container: ${ref}`);
    for (const m of mounts) {
      planned.set(m.destination, { ...m, mode: '', rw: m.rw && rw, copyData: false, inherited: true, createSource: undefined });
    }
  }
  // Binds and --mount may replace what --volumes-from brought, never each other.
  const explicit = new Set<string>();
  const add = (m: MountRequest) => {
    if (explicit.has(m.destination)) throw duplicate(m.destination);
    explicit.add(m.destination);
    planned.set(m.destination, m);
  };
  for (const b of input.binds ?? []) add(parseBindSpec(b, input.volumeDriver));
  for (const m of input.mounts ?? []) add(parseApiMount(m));
  for (const path of Object.keys(input.tmpfs ?? {})) {
    if (!posix.isAbsolute(path)) throw new InvalidArgument(`invalid mount path: '${path}' mount path must be absolute`);
    if (explicit.has(cleanPath(path))) throw duplicate(cleanPath(path));
  }
  const tmpfs = new Set(Object.keys(input.tmpfs ?? {}).map(cleanPath));
  for (const path of Object.keys(input.configVolumes ?? {})) {
    if (!posix.isAbsolute(path)) throw new InvalidArgument(`invalid mount path: '${path}' mount path must be absolute`);
    const destination = cleanPath(path);
    if (destination === '/') throw new InvalidArgument(`invalid specification: destination can't be '/'`);
    if (planned.has(destination) || tmpfs.has(destination)) continue;
    planned.set(destination, {
      type: 'volume', source: '', destination, mode: '', rw: true, propagation: '', anonymous: true, copyData: true, fromConfig: true,
      volume: { name: newId(), anonymous: true, driver: input.volumeDriver || undefined },
    });
  }
  return [...planned.values()];
}
