/**
 * The files of a container's log: `container.log` is the one conmon writes; rotated
 * generations are `container.log.1` (newest) to `container.log.<max-file - 1>` (oldest).
 * `container.log.live` is a second link to the file conmon writes, so that the file survives
 * conmon replacing it when it reaches --log-size-max.
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { hasErrno } from '../../../errdefs';

export const rotatedPath = (base: string, n: number) => `${base}.${n}`;
export const livePath = (base: string) => `${base}.live`;

/** Rotated generations present on disk, oldest first, then the live file. */
export async function logFilesInOrder(base: string): Promise<string[]> {
  let names: string[];
  try { names = await readdir(dirname(base)); } catch (e) { if (hasErrno(e, 'ENOENT')) return [base]; throw e; }
  const prefix = `${basename(base)}.`;
  const gens = names.filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))
    .map((n) => Number(n.slice(prefix.length))).sort((a, b) => b - a);
  return [...gens.map((g) => join(dirname(base), `${prefix}${g}`)), base];
}
