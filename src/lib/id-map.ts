/**
 * A user namespace's ID mapping, in the OCI spec's shape (`linux.uidMappings`): container IDs
 * [containerID, containerID + size) are host IDs [hostID, hostID + size).
 */
export interface IdRange { containerID: number; hostID: number; size: number }

export interface IdMap { uids: IdRange[]; gids: IdRange[] }

/** The host ID of a container ID; undefined when the mapping does not cover it. */
export function toHostId(ranges: readonly IdRange[], id: number): number | undefined {
  for (const r of ranges) if (id >= r.containerID && id < r.containerID + r.size) return r.hostID + (id - r.containerID);
  return undefined;
}

/** The host uid and gid of the container's root (uid 0, gid 0). */
export function remappedRoot(map: IdMap): { uid: number; gid: number } {
  const uid = toHostId(map.uids, 0);
  const gid = toHostId(map.gids, 0);
  if (uid === undefined || gid === undefined) throw new Error('ID mapping does not map the container root');
  return { uid, gid };
}

/**
 * Ranges laid end to end from container ID 0, as Docker builds a remapped root's mapping from
 * its subordinate ranges (in the order /etc/subuid lists them).
 */
export function contiguousMap(hostRanges: readonly { start: number; count: number }[]): IdRange[] {
  let next = 0;
  return hostRanges.map((r) => {
    const out = { containerID: next, hostID: r.start, size: r.count };
    next += r.count;
    return out;
  });
}

/** `uid_map`/`gid_map` file text for ranges. */
export function idMapText(ranges: readonly IdRange[]): string {
  return ranges.map((r) => `${r.containerID} ${r.hostID} ${r.size}\n`).join('');
}

/** The mapping read the other way: host IDs to container IDs. */
export function invertMap(map: IdMap): IdMap {
  const flip = (rs: IdRange[]) => rs.map((r) => ({ containerID: r.hostID, hostID: r.containerID, size: r.size }));
  return { uids: flip(map.uids), gids: flip(map.gids) };
}
