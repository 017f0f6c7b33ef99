import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { isAtomicTemp, type AtomicFs } from '../../lib/atomic-file';
import type { Digest } from '../../lib/digest';
import { Crash, CrashFs, prng, type CrashMode } from '../../lib/testing/crash-fs';
import { scratchDir } from '../../lib/testing/scratch-dir';
import { ImageStore } from './image-store';
import { addTag } from './image-tag';
import { removeImage } from './image-remove';

const config = (n: number) => Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: `2026-01-0${n + 1}T00:00:00Z`, config: { Labels: { n: String(n) } }, rootfs: { type: 'layers', diff_ids: [] } }));
const idOf = (n: number) => `sha256:${createHash('sha256').update(config(n)).digest('hex')}` as Digest;
const NAMES = ['docker.io/library/a:1', 'docker.io/library/a:2', 'docker.io/library/b:latest', `docker.io/library/b@sha256:${'d'.repeat(64)}`];

/** One image operation as the services do it: add + tags (commit, pull, load), a tag move, an rmi. */
type Op = { kind: 'add'; n: number; names: number[] } | { kind: 'tag'; n: number; name: number } | { kind: 'rmi'; n: number; name?: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), n: fc.nat({ max: 3 }), names: fc.uniqueArray(fc.nat({ max: 3 }), { maxLength: 2 }) }),
  fc.record({ kind: fc.constant('tag' as const), n: fc.nat({ max: 3 }), name: fc.nat({ max: 2 }) }),
  fc.record({ kind: fc.constant('rmi' as const), n: fc.nat({ max: 3 }), name: fc.option(fc.nat({ max: 3 }), { nil: undefined }) }),
);

/** Each meta an image has had (or was being given), as recovery leaves it: pending names given or dropped. */
type Metas = Map<Digest, Set<string>>;

function see(store: ImageStore, metas: Metas, id: Digest): void {
  const img = store.images.get(id);
  if (!img) return;
  const { pendingNames: _n, pendingSince: _s, ...meta } = img.meta;
  metas.set(id, (metas.get(id) ?? new Set()).add(JSON.stringify(meta)));
}

async function apply(store: ImageStore, op: Op, metas: Metas): Promise<void> {
  const seen = (id: Digest) => see(store, metas, id);
  const img = store.images.get(idOf(op.n));
  if (op.kind === 'add') {
    const names = op.names.map((i) => NAMES[i]);
    const added = await store.add(config(op.n), {}, names);
    seen(added.id);
    for (const name of names) { await addTag(store, added, name); seen(added.id); }
  } else if (op.kind === 'tag') {
    if (img) { await addTag(store, img, NAMES[op.name]); seen(img.id); }
  } else if (img) {
    const refs = store.refs.referencesOf(img.id);
    const ref = op.name !== undefined && refs.length ? refs[op.name % refs.length] : img.id;
    await removeImage({ store, users: () => [], logEvent: () => undefined }, ref, { force: true });
  }
}

/**
 * An image store on root writing through fs. Its layer store is left empty (these images have
 * no layers) and set up with just the dirs recovery reads: its init makes 32 staging dirs and
 * runs chattr, which would cost more than the rest of a run.
 */
async function openStore(root: string, fs?: AtomicFs): Promise<ImageStore> {
  const store = new ImageStore(root, { fs });
  store.layers.init = async () => {
    for (const d of ['layers', 'l']) await mkdir(join(store.layers.root, d), { recursive: true });
  };
  await store.init();
  return store;
}

/** What a crash may leave of each entity: images present and where each name points. */
interface Snapshot { images: Set<Digest>; refs: Map<string, string> }
const snapshot = (s: ImageStore): Snapshot => ({ images: new Set(s.images.keys()), refs: new Map(s.refs.all()) });

/**
 * The operations without a crash, recording the state between them: snaps[k] is the state
 * before operation k, snaps[ops.length] the end; and how many file operations they make.
 */
async function reference(root: string, ops: Op[]): Promise<{ snaps: Snapshot[]; fileOps: number }> {
  const fs = new CrashFs({ root, image: '', at: -1, mode: 'after', rand: prng(1) });
  const store = await openStore(root, fs);
  const snaps = [snapshot(store)];
  for (const op of ops) { await apply(store, op, new Map()); snaps.push(snapshot(store)); }
  return { snaps, fileOps: fs.operations };
}

/**
 * One crash run: ops on a store whose writes go through a CrashFs crashing at file operation
 * `at`, then a fresh store opened on the disk as the reboot finds it. It must start, and each
 * image and each name must be as before the operation the crash cut or as after it (so what a
 * finished operation wrote is durable, and nothing is half there). Nothing may be quarantined:
 * every record, name file and config is written to a temp file, fsynced, renamed and its dir
 * fsynced, so a crash loses only whole unfinished writes; a quarantine would mean a synced
 * write was misread, which is the bug this test looks for. Not modelled: unlinks (a record's
 * or a removal marker's rm) are not AtomicFs operations, so they count as durable at once.
 * Returns what was wrong, if anything.
 */
async function crashRun(base: string, ops: Op[], snaps: Snapshot[], crash: { at: number; mode: CrashMode; seed: number }, skipFileSync = false): Promise<string | undefined> {
  const root = join(base, 'live');
  const image = join(base, 'image');
  // only <dataRoot>/image is written through fs: the disk image is a copy of it (layers stay out)
  const fs = new CrashFs({ root: join(root, 'image'), image: join(image, 'image'), at: crash.at, mode: crash.mode, rand: prng(crash.seed), skipFileSync });
  const store = await openStore(root, fs);
  const metas: Metas = new Map();
  let cut = ops.length;
  for (let k = 0; k < ops.length && cut === ops.length; k++) {
    try { await apply(store, ops[k], metas); } catch (e) { if (!(e instanceof Crash)) throw e; cut = k; }
  }
  if (!fs.crashed) return undefined; // `at` was past the last operation
  // the metas being written when the machine went down (an add's is {} once its names are given)
  for (const id of store.images.keys()) see(store, metas, id);
  for (let n = 0; n < 4; n++) metas.set(idOf(n), (metas.get(idOf(n)) ?? new Set()).add('{}'));
  const after = await openStore(image); // must not throw
  for (const q of [join(image, 'quarantine'), join(image, 'image', 'quarantine')]) {
    const moved = await readdir(q).catch(() => []);
    if (moved.length) return `quarantined: ${moved.join(', ')}`;
  }
  const [old, next] = [snaps[cut], snaps[cut + 1]];
  for (let n = 0; n < 4; n++) {
    const id = idOf(n);
    const img = after.images.get(id);
    if (!!img !== old.images.has(id) && !!img !== next.images.has(id)) return `image ${n} is ${img ? 'present' : 'absent'}, before and after op ${cut}: ${old.images.has(id)}, ${next.images.has(id)}`;
    if (!img) continue;
    const digest = `sha256:${createHash('sha256').update(await readFile(after.blobs.path(id))).digest('hex')}`;
    if (digest !== id) return `config of image ${n} is ${digest}`;
    if (!metas.get(id)?.has(JSON.stringify(img.meta))) return `meta of image ${n} is ${JSON.stringify(img.meta)}`;
  }
  for (const name of NAMES) {
    const got = after.refs.get(name);
    if (got !== undefined && !after.images.has(got as Digest)) return `${name} points at missing ${got}`;
    if (got !== old.refs.get(name) && got !== next.refs.get(name)) return `${name} is ${got}, before and after op ${cut}: ${old.refs.get(name)}, ${next.refs.get(name)}`;
  }
  // the temp files of writes the crash cut are gone
  for (const dir of ['image/imagedb', 'image/blobs/sha256', 'image']) {
    const temps = (await readdir(join(image, dir))).filter(isAtomicTemp);
    if (temps.length) return `left in ${dir}: ${temps.join(', ')}`;
  }
  return undefined;
}

/**
 * Where the runs go: a tmpfs when there is one. Nothing here needs a real disk (what is durable
 * is CrashFs's to say), and a disk's metadata writes make hundreds of runs three times slower.
 */
const scratch = () => scratchDir('berth-image-crash-', existsSync('/dev/shm') ? '/dev/shm' : undefined);

const crashArb = fc.record({ at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), mode: fc.constantFrom<CrashMode>('before', 'partial', 'after'), seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }) });

test('a machine crash at any write of the image store leaves each image and name as before or after the operation it cut, and the store starts', async () => {
  const base = scratch();
  let run = 0;
  // each scenario is run once whole, then cut at five points at once (`at`: a fraction of its file operations)
  await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 6 }), fc.array(crashArb, { minLength: 5, maxLength: 5 }), async (ops, crashes) => {
    const dir = join(base, String(run++));
    const { snaps, fileOps } = await reference(join(dir, 'ref'), ops);
    const whys = await Promise.all(crashes.map((c, i) => crashRun(join(dir, String(i)), ops, snaps, { ...c, at: Math.floor(c.at * fileOps) })));
    await rm(dir, { recursive: true, force: true });
    for (const [i, why] of whys.entries()) assert.equal(why, undefined, `${why} (crash ${JSON.stringify(crashes[i])})`);
  }), { numRuns: 60 });
});

test('the crash model catches a write that skips its fsync (the property is not vacuous)', async () => {
  const base = scratch();
  const ops: Op[] = [{ kind: 'add', n: 0, names: [0] }, { kind: 'add', n: 1, names: [2] }, { kind: 'tag', n: 1, name: 0 }];
  const { snaps, fileOps } = await reference(join(base, 'ref'), ops);
  let caught = 0;
  for (let seed = 1; seed <= 100 && !caught; seed++) {
    if (await crashRun(join(base, String(seed)), ops, snaps, { at: seed % fileOps, mode: 'after', seed }, true)) caught++;
  }
  assert.ok(caught > 0, 'no crash point showed the missing fsync');
});
