import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The directory of the upstream spec files tests read (`../shared/spec` beside the repo).
 * BERTH_SPEC_DIR overrides; a clone outside the workspace falls back to /work/shared/spec.
 * Throws naming every place looked at when none exists, so a missing spec fails loudly.
 */
export function sharedSpecDir(): string {
  const repo = resolve(__dirname, '..', '..', '..'); // dist/src/lib -> repo
  const candidates = [process.env.BERTH_SPEC_DIR, join(repo, '..', 'shared', 'spec'), '/work/shared/spec'].filter((c): c is string => !!c);
  const found = candidates.find((c) => existsSync(join(c, 'SOURCES.md')));
  if (!found) throw new Error(`shared spec directory not found (looked in ${candidates.join(', ')}); set BERTH_SPEC_DIR`);
  return found;
}
