import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readdir, lstat, rm, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDaemon, run } from '../harness';
import { startRegistry } from '../local-registry';

/**
 * A data root that runs out of space: berthd on a 64 MiB tmpfs this test mounts, filled so
 * that a load, a pull, a build and a commit of a 12 MiB layer each hit ENOSPC part-way. Each
 * must fail with Docker's "no space left on device" and leave the store as it was (same
 * images, no new blob, layer, staging or temp entry), and succeed once the filler is gone.
 */
const d = new TestDaemon('dfull');
const MiB = 1024 * 1024;
const LAYER_MIB = 12;
let mnt = '';
let tmp = '';
let registry: Awaited<ReturnType<typeof startRegistry>> | undefined;
let filler = '';
const image = () => `${registry!.addr}/diskfull/big:v1`;

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'berth-diskfull-'));
  mnt = await mkdtemp(join(tmpdir(), 'berth-diskfull-mnt-'));
  const m = await run('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mnt]);
  assert.equal(m.code, 0, m.stderr);
  filler = join(mnt, 'filler');
  d.dataRoot = join(mnt, 'data');
  await mkdir(d.dataRoot);
  registry = await startRegistry(join(tmp, 'registry'));
  await d.start();
  // The image every case uses: busybox and a layer of 12 MiB of random bytes, in the
  // registry and as an archive outside the tmpfs; then gone from berth again.
  const c = `dfull-${process.pid}`;
  ok(await d.cli(['run', '--name', c, 'busybox', 'sh', '-c', `head -c ${LAYER_MIB * MiB} /dev/urandom > /big`]));
  ok(await d.cli(['commit', c, image()]));
  ok(await d.cli(['rm', c]));
  ok(await d.cli(['push', image()]));
  ok(await d.cli(['save', '-o', join(tmp, 'big.tar'), image()]));
  ok(await d.cli(['rmi', image()]));
  // A first build makes the builder's dirs, which are then part of the store compared.
  await mkdir(join(tmp, 'prime'));
  await writeFile(join(tmp, 'prime', 'Dockerfile'), 'FROM busybox\nLABEL prime=1\n');
  ok(await d.cli(['build', '-t', 'dfull-prime', join(tmp, 'prime')]));
  ok(await d.cli(['rmi', 'dfull-prime']));
});

after(async () => {
  await d.stop();
  await registry?.stop();
  if (mnt) {
    if ((await run('mountpoint', ['-q', mnt])).code === 0) await run('umount', [mnt]);
    await rm(mnt, { recursive: true, force: true });
  }
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function ok(r: { code: number; stdout: string; stderr: string }): string {
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Every path under the data root but the containers' own (records, logs, writable layers),
 * networks and the build cache index, with each regular file's size: blobs, layers, staging
 * and tmp dirs, image records.
 */
async function storeListing(): Promise<string[]> {
  // builder/cache.json is rewritten after every build; the images its entries name are compared.
  const skip = new Set(['containers', 'overlay/containers', 'network', 'volumes', 'builder/cache.json']);
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const name of await readdir(join(d.dataRoot, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      if (skip.has(r)) continue;
      const st = await lstat(join(d.dataRoot, r));
      out.push(st.isFile() ? `${r} ${st.size}` : r);
      if (st.isDirectory()) await walk(r);
    }
  };
  await walk('');
  return out.sort();
}

/** The store as it was: what appeared and what went, for the message. */
async function assertStoreIs(was: string[]): Promise<void> {
  const now = await storeListing();
  const added = now.filter((p) => !was.includes(p));
  const gone = was.filter((p) => !now.includes(p));
  assert.deepEqual({ added: added.slice(0, 20), gone: gone.slice(0, 20) }, { added: [], gone: [] });
}

async function images(): Promise<string[]> {
  return (await d.api('GET', '/images/json?all=1')).json.map((i: { Id: string; RepoTags: string[] }) => `${i.Id} ${i.RepoTags.join(',')}`).sort();
}

/** Fills the tmpfs until `leaveMiB` are left. */
async function fill(leaveMiB: number): Promise<void> {
  const s = await statfs(mnt);
  const free = s.bavail * s.bsize;
  assert.ok(free > leaveMiB * MiB, `only ${free} bytes free`);
  const f = await run('fallocate', ['-l', String(free - leaveMiB * MiB), filler]);
  assert.equal(f.code, 0, f.stderr);
}
const unfill = () => rm(filler, { force: true });

/**
 * Runs op on a full disk: it must fail in Docker's words, and the store and image list must be
 * what they were; then, with room again, op must succeed. Returns the failed run's message.
 */
async function outOfSpace(what: string, leaveMiB: number, op: () => Promise<{ code: number; stdout: string; stderr: string }>, undo: () => Promise<unknown>): Promise<string> {
  const store = await storeListing();
  const imgs = await images();
  await fill(leaveMiB);
  let failed: { code: number; stdout: string; stderr: string };
  try {
    failed = await op();
  } finally {
    await unfill();
  }
  const said = `${failed.stdout}\n${failed.stderr}`;
  process.stdout.write(`${what} on a full disk: exit ${failed.code}: ${said.trim().split('\n').slice(-3).join(' | ')}\n`);
  assert.notEqual(failed.code, 0, said);
  assert.match(said, /no space left on device/i);
  assert.deepEqual(await images(), imgs);
  await assertStoreIs(store);
  ok(await op());
  await undo();
  await assertStoreIs(store);
  return said;
}

test('load of an archive bigger than the space left', async () => {
  await outOfSpace('load', 4, () => d.cli(['load', '-i', join(tmp, 'big.tar')]), () => d.cli(['rmi', image()]));
});

test('pull of an image bigger than the space left', async () => {
  await outOfSpace('pull', 4, () => d.cli(['pull', image()]), () => d.cli(['rmi', image()]));
});

test('build whose RUN writes more than the space left', async () => {
  const ctx = join(tmp, 'ctx');
  await mkdir(ctx, { recursive: true });
  // dd says what the write met, as it would under Docker (busybox head only says 'I/O error')
  await writeFile(join(ctx, 'Dockerfile'), `FROM busybox\nRUN dd if=/dev/urandom of=/big bs=1M count=${LAYER_MIB}\n`);
  const said = await outOfSpace('build (RUN)', 4, () => d.cli(['build', '--no-cache', '-t', 'dfull-build:run', ctx]), () => d.cli(['rmi', 'dfull-build:run']));
  // The RUN's own failure, or (when the step's bookkeeping also finds the disk full first) the
  // write that failed: both name the cause; outOfSpace has checked the store is as it was.
  assert.match(said, /returned a non-zero code: 1|write[^\n]*: no space left on device/);
});

test('build whose layer does not fit beside what its RUN wrote', async () => {
  const ctx = join(tmp, 'ctx2');
  await mkdir(ctx, { recursive: true });
  await writeFile(join(ctx, 'Dockerfile'), `FROM busybox\nRUN head -c ${LAYER_MIB * MiB} /dev/urandom > /big\n`);
  await outOfSpace('build (layer)', LAYER_MIB + 4, () => d.cli(['build', '--no-cache', '-t', 'dfull-build:layer', ctx]), () => d.cli(['rmi', 'dfull-build:layer']));
});

test('commit of a container whose layer is bigger than the space left', async () => {
  const c = `dfull-commit-${process.pid}`;
  ok(await d.cli(['run', '--name', c, 'busybox', 'sh', '-c', `head -c ${LAYER_MIB * MiB} /dev/urandom > /big`]));
  try {
    await outOfSpace('commit', 4, () => d.cli(['commit', c, 'dfull-commit:v1']), () => d.cli(['rmi', 'dfull-commit:v1']));
  } finally {
    await d.cli(['rm', '-f', c]);
  }
});
