import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { BuildContext } from './build-context';

function tarOf(entries: Array<{ name: string; type?: 'file' | 'symlink' | 'link'; linkname?: string; body?: string }>): Readable {
  const p = tar.pack();
  for (const e of entries) p.entry({ name: e.name, type: e.type ?? 'file', linkname: e.linkname, mode: 0o644 }, e.body ?? '');
  p.finalize();
  return p as unknown as Readable;
}

async function receive(entries: Parameters<typeof tarOf>[0]): Promise<BuildContext> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-ctx-test-'));
  try { return await BuildContext.receive(tarOf(entries), dir, 'Dockerfile', ['Dockerfile']); } finally { await rm(dir, { recursive: true, force: true }); }
}

test('a deep name is indexed with every parent a directory, in time and memory linear in its depth', async () => {
  const deep = `${'d/'.repeat(2000)}f`;
  const started = Date.now();
  const ctx = await receive([{ name: deep, body: 'x' }, { name: `a${deep}`, body: 'y' }]);
  assert.ok(Date.now() - started < 2000);
  assert.equal((await ctx.lstat(deep))?.type, 'file');
  assert.equal((await ctx.lstat('d/d/d'))?.type, 'dir');
});

test('names that climb out, cannot exist or go through a symlink are refused as the context', async () => {
  await assert.rejects(receive([{ name: '../x', body: 'x' }]), { message: /failed to read the build context: .*path is outside of the layer/ });
  await assert.rejects(receive([{ name: `${'d/'.repeat(2100)}f`, body: 'x' }]), { message: /file name too long/ });
  await assert.rejects(receive([{ name: 'l', type: 'symlink', linkname: '/etc' }, { name: 'l/passwd', body: 'x' }]), { message: /symlinked parents are refused/ });
  await assert.rejects(receive([{ name: 'h', type: 'link', linkname: '/etc/passwd' }]), { message: /not in the layer/ });
});
