import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Crash, CrashFs, prng, type CrashMode as Mode } from '../../lib/testing/crash-fs';
import { ContainerStore } from './container-store';
import type { ContainerRecord } from './types';

const ID = (n: number) => n.toString(16).padStart(64, 'a');

function record(n: number, status: ContainerRecord['state']['status'], exitCode = 0): ContainerRecord {
  return {
    id: ID(n), name: `c${n}`, created: '2026-01-01T00:00:00Z', imageId: 'sha256:x', path: 'sh', args: ['-c', 'echo '.repeat(50)],
    config: { Env: [], Labels: { n: String(n) } } as unknown as ContainerRecord['config'],
    hostConfig: { RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } } as unknown as ContainerRecord['hostConfig'],
    restartCount: 0, manuallyStopped: false, runtime: 'runc', networks: {},
    state: { status, pid: 0, exitCode, error: '', oomKilled: false, startedAt: '0001-01-01T00:00:00Z', finishedAt: '0001-01-01T00:00:00Z' },
  } as ContainerRecord;
}

/**
 * One crash run: records 1 and 2 saved (whole), then record 1 updated and record 3 created
 * through a CrashFs that crashes at `at`. The store loaded from the disk image after the crash
 * must load, and every record must be its old version or its new one (or absent when it had none).
 */
async function crashRun(base: string, at: number, mode: Mode, seed: number, skipFileSync = false): Promise<{ ok: boolean; why?: string }> {
  const root = join(base, 'live', 'containers');
  const imageRoot = join(base, 'image');
  const image = join(imageRoot, 'containers');
  await rm(base, { recursive: true, force: true });
  const first = new ContainerStore(root);
  await first.load();
  const old1 = record(1, 'running');
  await first.save(old1);
  await first.save(record(2, 'exited', 3));
  const fs = new CrashFs({ root, image, at, mode, rand: prng(seed), skipFileSync });
  const store = new ContainerStore(root, fs);
  await store.load();
  const new1 = { ...store.get(ID(1)), state: { ...old1.state, status: 'exited', exitCode: 137 } } as ContainerRecord;
  const new3 = record(3, 'created');
  try {
    await store.save(new1);
    await store.save(new3);
  } catch (e) { if (!(e instanceof Crash)) throw e; }
  if (!fs.crashed) return { ok: true }; // `at` was past the last operation
  const after = new ContainerStore(image);
  await after.load(); // must not throw
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const r1 = after.find(ID(1));
  const r2 = after.find(ID(2));
  const r3 = after.find(ID(3));
  if (!r1 || (!same(r1, old1) && !same(r1, new1))) return { ok: false, why: `record 1 is ${JSON.stringify(r1?.state)}` };
  if (!r2 || !same(r2, record(2, 'exited', 3))) return { ok: false, why: 'record 2 changed' };
  if (r3 && !same(r3, new3)) return { ok: false, why: 'record 3 is garbage' };
  // nothing a crash left is visible in the store dir but record dirs
  const left = (await readdir(image)).filter((n) => !/^[0-9a-f]{64}$/.test(n));
  if (left.length) return { ok: false, why: `left in the store: ${left.join(', ')}` };
  for (const id of await readdir(image)) {
    const names = await readdir(join(image, id));
    if (names.some((n) => n !== 'config.json')) return { ok: false, why: `left in ${id}: ${names.join(', ')}` };
  }
  await rm(imageRoot, { recursive: true, force: true });
  return { ok: true };
}

test('a machine crash at any point of a record write leaves the old record or the new one, and the store loads', async () => {
  const base = await mkdtemp(join(tmpdir(), 'berth-store-crash-'));
  try {
    await fc.assert(fc.asyncProperty(
      fc.nat({ max: 8 }), fc.constantFrom<Mode>('before', 'partial', 'after'), fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      async (at, mode, seed) => {
        const r = await crashRun(join(base, 'run'), at, mode, seed);
        assert.ok(r.ok, r.why);
      },
    ), { numRuns: 100 });
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});

test('the crash model catches a write that skips its fsync (the test is not vacuous)', async () => {
  const base = await mkdtemp(join(tmpdir(), 'berth-store-crash-'));
  try {
    let misread = 0;
    for (let seed = 1; seed <= 200 && !misread; seed++) {
      const r = await crashRun(join(base, 'run'), seed % 8, 'after', seed, true);
      if (!r.ok) misread++;
    }
    assert.ok(misread > 0, 'no crash point showed the missing fsync');
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});

test('load quarantines unreadable records, completes removals, rolls back half-created dirs and drops temp files', async () => {
  const base = await mkdtemp(join(tmpdir(), 'berth-store-load-'));
  try {
    const root = join(base, 'containers');
    const good = new ContainerStore(root);
    await good.load();
    await good.save(record(1, 'exited', 2));
    await good.save(record(2, 'running'));
    await writeFile(join(root, ID(2), 'config.json'), ''); // an empty record
    await mkdir(join(root, ID(3)));
    await writeFile(join(root, ID(3), 'config.json'), '{"id":"'); // cut short
    await mkdir(join(root, ID(4))); // a create that never saved its record
    await writeFile(join(root, ID(4), 'hostname'), 'x\n');
    await mkdir(join(root, `.removing-${ID(5)}`)); // a delete cut short
    await writeFile(join(root, ID(1), '.config.json.0123456789ab.tmp'), '{"half');
    await mkdir(join(root, ID(6)));
    await writeFile(join(root, ID(6), 'config.json'), JSON.stringify({ ...record(6, 'running'), id: ID(7) })); // not its own
    const store = new ContainerStore(root);
    await store.load();
    assert.deepEqual(store.all().map((r) => r.id), [ID(1)]);
    assert.deepEqual(await readdir(root), [ID(1)]);
    assert.deepEqual(await readdir(join(root, ID(1))), ['config.json']);
    assert.equal((await readdir(store.quarantineDir)).length, 3);
    // a delete renames the dir away before removing it
    await store.delete(store.get(ID(1)));
    assert.deepEqual(await readdir(root), []);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});
