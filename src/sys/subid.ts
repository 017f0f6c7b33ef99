/**
 * Users, groups and their subordinate ID ranges, read from /etc/passwd, /etc/group,
 * /etc/subuid and /etc/subgid, and the `dockremap` user Docker creates for
 * `--userns-remap default` (useradd, then usermod --add-subuids/--add-subgids).
 */
import { readIfPresent } from '../lib/atomic-file';
import { runCommand } from './run-command';

export interface Account { name: string; id: number }
export interface SubIdRange { start: number; count: number }

/** `name:x:id:...` lines of /etc/passwd or /etc/group (the third field is the ID). */
export function parseAccounts(text: string): Account[] {
  const out: Account[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 3 || !f[0] || line.startsWith('#') || !/^\d+$/.test(f[2])) continue;
    out.push({ name: f[0], id: Number(f[2]) });
  }
  return out;
}

/** `owner:start:count` lines of /etc/subuid or /etc/subgid, with the owner as written (name or ID). */
export function parseSubIds(text: string): (SubIdRange & { owner: string })[] {
  const out: (SubIdRange & { owner: string })[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(':');
    if (f.length !== 3 || !f[0] || line.startsWith('#') || !/^\d+$/.test(f[1]) || !/^\d+$/.test(f[2])) continue;
    out.push({ owner: f[0], start: Number(f[1]), count: Number(f[2]) });
  }
  return out;
}

/** The start of a free range of count IDs at or above 100000, after every listed range. */
export function freeRangeStart(used: readonly SubIdRange[], count: number, from = 100000): number {
  let start = from;
  for (const r of [...used].sort((a, b) => a.start - b.start)) {
    if (r.start + r.count <= start) continue;
    if (r.start >= start + count) break;
    start = r.start + r.count;
  }
  return start;
}

export interface SubIdFiles { passwd: string; group: string; subuid: string; subgid: string }

export const SYSTEM_FILES: SubIdFiles = { passwd: '/etc/passwd', group: '/etc/group', subuid: '/etc/subuid', subgid: '/etc/subgid' };

/** Users (kind user) or groups by name or numeric ID; undefined when there is none. */
export async function lookupAccount(kind: 'user' | 'group', nameOrId: string, files = SYSTEM_FILES): Promise<Account | undefined> {
  const all = parseAccounts(await readIfPresent(kind === 'user' ? files.passwd : files.group));
  return /^\d+$/.test(nameOrId) ? all.find((a) => a.id === Number(nameOrId)) : all.find((a) => a.name === nameOrId);
}

/** An account's subordinate ranges in file order, matched by name or by ID as the files allow both. */
export async function subIdRanges(file: string, who: Account): Promise<SubIdRange[]> {
  return parseSubIds(await readIfPresent(file))
    .filter((r) => r.owner === who.name || r.owner === String(who.id))
    .map(({ start, count }) => ({ start, count }));
}

/**
 * Makes sure the system user and group `name` exist with subordinate uid and gid ranges:
 * `useradd -r -s /bin/false name` when it is missing, then one free range of 65536 IDs in
 * each of /etc/subuid and /etc/subgid when it has none (as dockerd does for `default`).
 */
export async function ensureRemapUser(name: string, files = SYSTEM_FILES): Promise<void> {
  if (!(await lookupAccount('user', name, files))) await runCommand('useradd', ['-r', '-s', '/bin/false', name]);
  const user = (await lookupAccount('user', name, files))!;
  const group = (await lookupAccount('group', name, files)) ?? { name, id: user.id };
  const need: string[] = [];
  for (const [file, who, flag] of [[files.subuid, user, '--add-subuids'], [files.subgid, group, '--add-subgids']] as const) {
    if ((await subIdRanges(file, who)).length) continue;
    const start = freeRangeStart(parseSubIds(await readIfPresent(file)), 65536);
    need.push(flag, `${start}-${start + 65535}`);
  }
  if (need.length) await runCommand('usermod', [...need, name]);
}
