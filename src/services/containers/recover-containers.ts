/**
 * Start-up recovery of what a daemon crash left outside the container records: runtime
 * state, container layers, bundles, attach sockets and exit files of containers that are
 * gone or not running. Runs after the records are loaded and reconciled with the runtime.
 */
import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { hasErrno } from '../../errdefs';
import { log } from '../../lib/logger';
import { noteRecovery, type RecoveryAction } from '../../lib/recovery-log';
import type { ContainerContext } from './deps';
import { bundleDir, exitDir, socketDir } from './start-container';
import type { ContainerRecord } from './types';

/** The label build steps give their containers: a crash leaves them behind, recovery removes them. */
export const BUILD_STEP_LABEL = 'berth.build.step';

const names = async (dir: string): Promise<string[]> => {
  try { return await readdir(dir); } catch (e) {
    if (hasErrno(e, 'ENOENT')) return [];
    throw e;
  }
};

/**
 * Releases what has no running container any more. A runtime container whose record is not
 * running is a start cut short (its record was never marked running): it is killed and
 * deleted, the start rolled back. A layer with no record is a create or remove cut short.
 */
export async function collectOrphans(ctx: ContainerContext): Promise<void> {
  // A container restarting by its policy may already be starting again: its state is its own.
  const live: ContainerRecord['state']['status'][] = ['running', 'paused', 'restarting'];
  const running = (id: string) => { const r = ctx.store.find(id); return !!r && live.includes(r.state.status); };
  for (const runtime of ctx.runtimes.values()) {
    for (const id of await runtime.list()) {
      if (running(id)) continue;
      await runtime.delete(id, true).catch((e) => log.warn('runtime delete failed', { id, error: String(e) }));
      if (ctx.store.find(id)) noteRecovery('rolled back', `half-started container ${id}`);
    }
  }
  for (const id of await ctx.rootfs.list()) {
    if (!ctx.store.find(id)) {
      await ctx.rootfs.remove(id).catch((e) => log.warn('orphan layer removal failed', { id, error: String(e) }));
      // build-<hex> layers are a build's RUN-less steps; another container ID is a remove cut short
      if (/^[0-9a-f]{64}$/.test(id) && !ctx.store.settled.has(id)) noteRecovery('completed', `removal of container ${id} (its layer)`);
    } else if (!running(id)) await ctx.rootfs.unmount(id).catch(() => {});
  }
  const leftovers = [(id: string) => bundleDir(ctx, id), (id: string) => join(socketDir(ctx), id), (id: string) => join(exitDir(ctx), id)];
  for (const pathOf of leftovers) {
    const dir = dirname(pathOf('x'));
    for (const id of await names(dir)) if (!running(id)) await rm(pathOf(id), { recursive: true, force: true });
  }
}

/** The marker a remove leaves in a container's dir until the record is gone: its content is `volumes` or ''. */
const removal = (ctx: ContainerContext, id: string) => join(ctx.store.dir(id), 'removal');

/** Notes that the container is being removed (completed at the next start if berthd dies first). */
export const markRemoval = (ctx: ContainerContext, id: string, volumes: boolean) => writeFile(removal(ctx, id), volumes ? 'volumes' : '');
export const clearRemoval = (ctx: ContainerContext, id: string) => rm(removal(ctx, id), { force: true });

/** A container start-up recovery removes, and what it logs for it. */
export interface LeftToRemove { id: string; volumes: boolean; action: RecoveryAction; what: string }

/**
 * The containers a crash left that must go: those a remove was under way for (completed),
 * auto-remove ones that exited (completed, as dockerd does at start) and the step containers
 * of a build that died (rolled back).
 */
export async function leftToRemove(ctx: ContainerContext): Promise<LeftToRemove[]> {
  const out: LeftToRemove[] = [];
  for (const r of ctx.store.all()) {
    const marked = await readFile(removal(ctx, r.id), 'utf8').catch((e) => { if (hasErrno(e, 'ENOENT')) return undefined; throw e; });
    if (marked !== undefined) out.push({ id: r.id, volumes: marked === 'volumes', action: 'completed', what: `removal of container ${r.id}` });
    else if (r.hostConfig.AutoRemove && r.state.status === 'exited') out.push({ id: r.id, volumes: true, action: 'completed', what: `removal of auto-remove container ${r.id}` });
    else if (r.config.Labels?.[BUILD_STEP_LABEL] !== undefined) out.push({ id: r.id, volumes: true, action: 'rolled back', what: `build step container ${r.id}` });
  }
  return out;
}

/** The marker a commit leaves in a container's dir while it holds the container paused. */
const commitPause = (ctx: ContainerContext, id: string) => join(ctx.store.dir(id), 'commit-pause');

/** Commits under way per marker: concurrent commits of one container share one pause and one marker. */
const commitsPausing = new Map<string, number>();

/** Notes that a commit pauses the container now (to be undone if berthd dies before the commit ends). */
export async function markCommitPause(ctx: ContainerContext, id: string): Promise<void> {
  const path = commitPause(ctx, id);
  commitsPausing.set(path, (commitsPausing.get(path) ?? 0) + 1);
  await writeFile(path, '');
}

/** The commit is done with the container; the marker goes with the last commit that held it. */
export async function clearCommitPause(ctx: ContainerContext, id: string): Promise<void> {
  const path = commitPause(ctx, id);
  const left = (commitsPausing.get(path) ?? 1) - 1;
  if (left > 0) { commitsPausing.set(path, left); return; }
  commitsPausing.delete(path);
  await rm(path, { force: true });
}

/**
 * Makes a live container's record agree with its runtime: a pause a commit held is undone
 * (the commit died with berthd), and a pause or unpause the crash cut off between the
 * runtime and the record is completed in the record.
 */
export async function settlePause(ctx: ContainerContext, rec: ContainerRecord, runtimeStatus: string): Promise<void> {
  const byCommit = await stat(commitPause(ctx, rec.id)).then(() => true, (e) => { if (hasErrno(e, 'ENOENT')) return false; throw e; });
  let status = runtimeStatus;
  if (byCommit) {
    if (status === 'paused') await ctx.runtimes.get(rec.runtime)!.resume(rec.id);
    status = 'running';
    noteRecovery('rolled back', `pause of container ${rec.id} by an unfinished commit`);
  }
  if (status === 'paused' && rec.state.status !== 'paused') noteRecovery('completed', `pause of container ${rec.id}`);
  if (status === 'running' && rec.state.status === 'paused' && !byCommit) noteRecovery('completed', `unpause of container ${rec.id}`);
  const want = status === 'paused' ? 'paused' : 'running';
  if (rec.state.status !== want) {
    rec.state = { ...rec.state, status: want };
    await ctx.store.save(rec);
  }
  if (byCommit) await clearCommitPause(ctx, rec.id);
}
