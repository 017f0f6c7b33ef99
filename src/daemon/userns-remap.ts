/**
 * `--userns-remap`: which user's subordinate ranges become the containers' user namespace,
 * resolved at start-up with dockerd's rules and messages (daemon/daemon_unix.go).
 */
import { InvalidArgument } from '../errdefs';
import { contiguousMap, type IdMap } from '../lib/id-map';
import { ensureRemapUser, lookupAccount, subIdRanges, SYSTEM_FILES, type Account, type SubIdFiles } from '../sys/subid';

/** The user `--userns-remap default` stands for, created when missing. */
export const DEFAULT_REMAP_USER = 'dockremap';

export interface RemappedRoot { user: string; group: string; map: IdMap }

/**
 * Resolves `default`, `user`, `user:group`, `uid` or `uid:gid` to a user and group and reads
 * their ranges. Undefined for `root` (dockerd: "root cannot be remapped with itself").
 * InvalidArgument naming the spec, the user or the missing ranges otherwise.
 */
export async function resolveRemappedRoot(spec: string, files: SubIdFiles = SYSTEM_FILES): Promise<RemappedRoot | undefined> {
  const parts = spec.split(':');
  if (parts.length > 2 || !parts[0]) throw new InvalidArgument(`Invalid user/group specification in --userns-remap: "${spec}"`);
  let user: Account | undefined;
  let group: Account | undefined;
  if (/^\d+$/.test(parts[0])) {
    user = await lookupAccount('user', parts[0], files);
    if (!user) throw new InvalidArgument(`Uid ${parts[0]} has no entry in /etc/passwd`);
    if (parts.length === 1) {
      group = await lookupAccount('group', parts[0], files);
      if (!group) throw new InvalidArgument(`Gid ${parts[0]} has no entry in /etc/group`);
    }
  } else {
    const name = parts[0] === 'default' ? DEFAULT_REMAP_USER : parts[0];
    if (parts[0] === 'default') {
      try { await ensureRemapUser(name, files); } catch (e) {
        throw new InvalidArgument(`Error during "${name}" user creation: ${(e as Error).message}`, { cause: e });
      }
    }
    user = await lookupAccount('user', name, files);
    if (!user) throw new InvalidArgument(`Error during uid lookup for "${name}": user: unknown user ${name}`);
    if (parts.length === 1) {
      group = await lookupAccount('group', name, files);
      if (!group) throw new InvalidArgument(`Error during gid lookup for "${name}": group: unknown group ${name}`);
    }
  }
  if (parts.length === 2) {
    group = await lookupAccount('group', parts[1], files);
    if (!group) {
      throw new InvalidArgument(/^\d+$/.test(parts[1])
        ? `Gid ${parts[1]} has no entry in /etc/group`
        : `Error during groupname lookup for "${parts[1]}": group: unknown group ${parts[1]}`);
    }
  }
  if (user.name === 'root') return undefined;
  const uids = await subIdRanges(files.subuid, user);
  if (!uids.length) throw new InvalidArgument(`Can't create ID mappings: no subuid ranges found for user "${user.name}"`);
  const gids = await subIdRanges(files.subgid, group!);
  if (!gids.length) throw new InvalidArgument(`Can't create ID mappings: no subgid ranges found for group "${group!.name}"`);
  return { user: user.name, group: group!.name, map: { uids: contiguousMap(uids), gids: contiguousMap(gids) } };
}
