/** Temporary file trees for tests that read files laid out as the kernel lays them out (cgroups, /proc). */
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes `files` (relative path -> text) under a fresh temp dir, runs `body` on it, removes it. */
export async function withFileTree(files: Record<string, string>, body: (root: string) => Promise<void>, prefix = 'berth-tree-'): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  try {
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(join(root, rel, '..'), { recursive: true });
      await writeFile(join(root, rel), text);
    }
    await body(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
