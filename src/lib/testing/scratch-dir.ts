import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

const made: string[] = [];
// Registered when the test file imports this module, so it belongs to the file's root, not to
// whichever test first asks for a directory.
after(() => { for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true }); });

/**
 * A fresh directory under the OS temp dir (or under parent) for a unit test, removed with
 * everything in it when the test file ends. For tests only.
 */
export function scratchDir(prefix: string, parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, prefix));
  made.push(dir);
  return dir;
}
