/**
 * The hundred-kill soak of issue 11: fifty running containers, and berthd killed with SIGKILL
 * at a random point of a burst of create/start/stop/rm/commit, pulls from a local
 * docker-registry and builds, a hundred times in a row; after every restart each invariant of
 * test/crash-world.ts holds. Prints the iterations, recovery time per restart (p50/p99, the
 * daemon's own `state restored` measure) and the items rolled back and completed.
 * BERTH_SOAK_KILLS sets the number of kills (default 100).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILD_CACHE_LABEL, CrashWorld } from '../crash-world';
import { startRegistry } from '../local-registry';

const KILLS = Number(process.env.BERTH_SOAK_KILLS ?? 100);
let registry: Awaited<ReturnType<typeof startRegistry>> | undefined;
let tmp = '';
let reg = '';
let builds = 0;

/** Pulls one of the registry's images (each with a layer of its own, so the pull unpacks), then drops it. */
async function pull(w: CrashWorld): Promise<void> {
  const tag = Math.random() < 0.5 ? 'a' : 'b';
  await w.api('POST', `/images/create?fromImage=${reg}/crash/pull&tag=${tag}`);
  if (Math.random() < 0.7) await w.api('DELETE', `/images/${reg}/crash/pull:${tag}?force=1`);
}

/** A two-step build with a fresh layer each time (no cache hit), tagged crash-build:N. */
async function build(w: CrashWorld): Promise<void> {
  const n = builds++;
  const dir = join(tmp, `ctx${n}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'Dockerfile'), `FROM busybox\nLABEL ${BUILD_CACHE_LABEL}=1\nRUN echo ${n}-${Date.now()} > /n && head -c 100000 /dev/urandom > /r\nRUN ls -l /r > /ls\n`);
  await w.d.cli(['build', '-q', '-t', `crash-build:${n}`, dir], { timeoutMs: 60_000 });
}

const w = new CrashWorld('soak', { sleepers: 47, extraOps: { pull, build } });

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'berth-daemon-kill-'));
  registry = await startRegistry(tmp);
  reg = registry.addr;
  await w.setup();
  // two images of a layer of their own in the registry, gone from the daemon
  for (const tag of ['a', 'b']) {
    const ref = `${reg}/crash/pull:${tag}`;
    const r = await w.d.cli(['run', '--name', `seed-${tag}`, 'busybox', 'sh', '-c', 'head -c 2000000 /dev/urandom > /blob']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await w.d.cli(['commit', `seed-${tag}`, ref])).code, 0);
    const p = await w.d.cli(['push', ref], { timeoutMs: 120_000 });
    assert.equal(p.code, 0, p.stderr);
    await w.d.cli(['rm', `seed-${tag}`]);
    await w.d.cli(['rmi', ref]);
  }
});

after(async () => {
  await w.teardown();
  await registry?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test(`kill -9 ${KILLS} times in a row with 50 containers running and create/start/stop/rm/commit/pull/build in flight`, async () => {
  for (let i = 0; i < KILLS; i++) {
    const f = await w.round({ parallel: 4, maxDelayMs: 2000, exiters: 2 });
    process.stdout.write(`kill ${i + 1}/${KILLS}: recovery ${f.recoveryMs} ms, rolled back ${f.rolledBack}, completed ${f.completed}\n`);
  }
  const s = w.summary();
  process.stdout.write(`daemon-kill soak: ${s.iterations} kills with 50 containers running; recovery per restart p50 ${s.p50} ms, p99 ${s.p99} ms; rolled back ${s.rolledBack}, completed ${s.completed}, quarantined ${s.quarantined}\n`);
});
