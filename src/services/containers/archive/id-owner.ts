import { InvalidArgument } from '../../../errdefs';
import { invertMap, toHostId, type IdMap } from '../../../lib/id-map';

/** The owner a file gets on the other side of a user namespace's mapping. */
export type OwnerMap = (uid: number, gid: number) => { uid: number; gid: number };

/** What the kernel shows for a host ID the mapping does not cover (`/proc/sys/kernel/overflowuid`). */
const OVERFLOW_ID = 65534;

/**
 * The owner a remapped container sees for a file owned by host IDs (its root's files are the
 * subordinate uid's on disk): the mapping read backwards, as commit's layers are; an ID outside
 * it is the overflow ID, as `ls -ln` in the container shows it. Undefined without a mapping.
 */
export function ownerInContainer(map: IdMap | undefined): OwnerMap | undefined {
  if (!map) return undefined;
  const back = invertMap(map);
  return (uid, gid) => ({ uid: toHostId(back.uids, uid) ?? OVERFLOW_ID, gid: toHostId(back.gids, gid) ?? OVERFLOW_ID });
}

/**
 * The host owner of a file a remapped container is given with container IDs (a tar's headers).
 * An ID outside the mapping is an InvalidArgument in dockerd's words. Undefined without a mapping.
 */
export function ownerOnHost(map: IdMap | undefined): OwnerMap | undefined {
  if (!map) return undefined;
  const to = (ranges: IdMap['uids'], id: number) => {
    const host = toHostId(ranges, id);
    if (host === undefined) throw new InvalidArgument(`Container ID ${id} cannot be mapped to a host ID`);
    return host;
  };
  return (uid, gid) => ({ uid: to(map.uids, uid), gid: to(map.gids, gid) });
}
