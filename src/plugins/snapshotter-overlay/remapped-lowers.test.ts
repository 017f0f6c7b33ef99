import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, chown, link, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CopiedLowers, IdmappedLowers } from './remapped-lowers';

const map = { uids: [{ containerID: 0, hostID: 200000, size: 65536 }], gids: [{ containerID: 0, hostID: 300000, size: 65536 }] };
const root = process.getuid?.() === 0;
let dir = '';

/** A layer store with one layer `hex` (short link `l/LINK`): a setuid file, a hard link to it, a file of 7:8. */
before(async () => {
  if (!root) return;
  dir = await mkdtemp(join(tmpdir(), 'berth-remap-'));
  const diff = join(dir, 'layers', 'aa', 'diff');
  await mkdir(join(diff, 'bin'), { recursive: true });
  await mkdir(join(dir, 'l'));
  await symlink('../layers/aa/diff', join(dir, 'l', 'LINK'));
  await writeFile(join(diff, 'bin', 'su'), 'x');
  await chmod(join(diff, 'bin', 'su'), 0o4755);
  await link(join(diff, 'bin', 'su'), join(diff, 'bin', 'su2'));
  await writeFile(join(diff, 'f'), 'y');
  await chown(join(diff, 'f'), 7, 8);
});
after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

test('copies: shifted once per inode, setuid kept, shared, pruned when the layer goes', { skip: !root && 'needs root' }, async () => {
  const copies = new CopiedLowers(dir, join(dir, 'remap'));
  const got = await copies.prepare('unused', ['l/LINK', 'empty'], map);
  assert.deepEqual(got, { lowerdirs: ['l/LINK', 'empty'], cwd: join(dir, 'remap', '200000.300000') });
  const copy = join(got.cwd, 'l', 'LINK');
  const su = await stat(join(copy, 'bin', 'su'));
  assert.deepEqual([su.uid, su.gid, su.mode & 0o7777, su.nlink], [200000, 300000, 0o4755, 2]);
  const f = await stat(join(copy, 'f'));
  assert.deepEqual([f.uid, f.gid], [200007, 300008]);
  assert.equal((await stat(join(got.cwd, 'empty'))).uid, 200000);
  assert.equal((await stat(join(dir, 'layers', 'aa', 'diff', 'f'))).uid, 7, 'the store is untouched');
  await copies.prepare('unused', ['l/LINK'], map);
  assert.equal((await stat(join(copy, 'bin', 'su'))).ino, su.ino, 'made once');
  await copies.prune();
  assert.ok(existsSync(join(got.cwd, 'layers', 'aa')));
  await rm(join(dir, 'layers', 'aa'), { recursive: true });
  await copies.prune();
  assert.equal(existsSync(join(got.cwd, 'layers', 'aa')), false);
  assert.equal(existsSync(join(got.cwd, 'l', 'LINK')), false);
  // put the layer back for the next test
  await mkdir(join(dir, 'layers', 'aa', 'diff'), { recursive: true });
  await writeFile(join(dir, 'layers', 'aa', 'diff', 'f'), 'y');
});

test('idmapped lowers: mounted read-only with the mapping, released without touching the layer', { skip: !root && 'needs root' }, async () => {
  const lowers = new IdmappedLowers(dir);
  const container = join(dir, 'containers', 'c1');
  await mkdir(container, { recursive: true });
  const got = await lowers.prepare(container, ['l/LINK'], map);
  assert.deepEqual(got, { lowerdirs: ['lower/0'], cwd: container });
  const seen = await stat(join(container, 'lower', '0', 'f'));
  assert.deepEqual([seen.uid, seen.gid], [200000, 300000]);
  await assert.rejects(writeFile(join(container, 'lower', '0', 'g'), ''), /EROFS/);
  const line = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' ')[4] === join(container, 'lower', '0'));
  assert.match(line ?? '', /\bidmapped\b/);
  await lowers.release(container);
  assert.equal(existsSync(join(container, 'lower')), false);
  assert.equal(await readFile(join(dir, 'layers', 'aa', 'diff', 'f'), 'utf8'), 'y');
});
