import { mkdir, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { log } from './logger';

/** What start-up recovery did with something a crash left half-made or unreadable. */
export type RecoveryAction = 'rolled back' | 'completed' | 'quarantined';

const tally: Record<RecoveryAction, number> = { 'rolled back': 0, completed: 0, quarantined: 0 };

/**
 * Logs one recovery step as `<action> <what>` (e.g. `rolled back half-created container <id>`)
 * at warn level, and counts it for the summary berthd logs once it is ready.
 */
export function noteRecovery(action: RecoveryAction, what: string, fields?: Record<string, unknown>): void {
  tally[action]++;
  log.warn(`${action} ${what}`, fields);
}

/** The steps counted since the process started, by action. */
export function recoveryTally(): Readonly<Record<RecoveryAction, number>> { return { ...tally }; }

/**
 * Moves an unreadable record (a file or a dir) out of its store into quarantineDir, under its
 * own name and the time, so the store loads without it and it can still be examined; returns
 * the new path.
 */
export async function quarantine(path: string, quarantineDir: string): Promise<string> {
  await mkdir(quarantineDir, { recursive: true });
  const to = join(quarantineDir, `${basename(path)}.${new Date().toISOString().replace(/[:.]/g, '-')}`);
  await rename(path, to);
  return to;
}
