/**
 * A container's user namespace under `--userns-remap`: who gets one (every container but
 * `--userns=host`), the settings Docker refuses with it, and the spec's namespace and mappings.
 */
import { chown } from 'node:fs/promises';
import { InvalidArgument } from '../../errdefs';
import { remappedRoot, type IdMap } from '../../lib/id-map';
import type { ContainerContext } from './deps';
import type { HostConfig } from './types';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * The mapping a new container gets: the daemon's, unless remapping is off or the request
 * says `--userns=host`. Throws dockerd's errors for settings that need the host's user namespace
 * (--privileged, --network host, --pid host) and for an unknown mode.
 */
export function usernsForCreate(ctx: Pick<ContainerContext, 'userns'>, hc: Partial<HostConfig>): IdMap | undefined {
  const mode = str(hc.UsernsMode);
  if (mode !== '' && mode !== 'host') throw new InvalidArgument(`invalid USER mode: ${mode}`);
  if (!ctx.userns || mode === 'host') return undefined;
  if (hc.Privileged) throw new InvalidArgument('privileged mode is incompatible with user namespaces.  You must run the container in the host namespace when running privileged mode');
  if (hc.NetworkMode === 'host') throw new InvalidArgument("cannot share the host's network namespace when user namespaces are enabled");
  if (str(hc.PidMode) === 'host') throw new InvalidArgument('cannot share the host PID namespace when user namespaces are enabled');
  return ctx.userns.idMap;
}

interface SpecMount { destination: string; type: string; source: string; options: string[] }

/**
 * The spec with a user namespace and the mapping (OCI `linux.uidMappings`/`gidMappings`): the
 * one at usernsPath, which owns the network namespace berthd made for the container (so that
 * `exec` can enter both), or a new one. A network namespace of the host's user namespace (a
 * `container:` peer run with `--userns=host`) makes the kernel refuse a sysfs mount from the
 * container's: /sys is then a read-only bind of the host's. The cgroup mount loses `ro`, as
 * dockerd's does under remapping.
 */
export function withUserNamespace(spec: Record<string, unknown>, map: IdMap | undefined, usernsPath?: string): Record<string, unknown> {
  if (!map) return spec;
  const linux = spec.linux as { namespaces: { type: string }[] } & Record<string, unknown>;
  const mounts = (spec.mounts as SpecMount[]).map((m) => {
    if (m.type === 'sysfs' && !usernsPath) return { destination: m.destination, type: 'bind', source: '/sys', options: ['rbind', 'nosuid', 'noexec', 'nodev', 'ro'] };
    if (m.type === 'cgroup') return { ...m, options: m.options.filter((o) => o !== 'ro') };
    return m;
  });
  return {
    ...spec,
    mounts,
    linux: { ...linux, namespaces: [...linux.namespaces, usernsPath ? { type: 'user', path: usernsPath } : { type: 'user' }], uidMappings: map.uids, gidMappings: map.gids },
  };
}

/** Gives host paths made for the container (its /etc files, a shareable /dev/shm) to its remapped root. */
export async function chownToRemappedRoot(map: IdMap | undefined, paths: (string | undefined)[]): Promise<void> {
  if (!map) return;
  const root = remappedRoot(map);
  for (const p of paths) if (p) await chown(p, root.uid, root.gid);
}
