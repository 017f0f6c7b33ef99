/**
 * Start-up recovery of what a daemon crash left outside the container records: runtime
 * state, container layers, bundles, attach sockets and exit files of containers that are
 * gone or not running. Runs after the records are loaded and reconciled with the runtime.
 */
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { hasErrno } from '../../errdefs';
import { log } from '../../lib/logger';
import { noteRecovery } from '../../lib/recovery-log';
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

/** The IDs of the build-step containers a crashed build left (to be removed by the caller). */
export function leftBuildSteps(ctx: ContainerContext): string[] {
  return ctx.store.all().filter((r) => r.config.Labels?.[BUILD_STEP_LABEL] !== undefined).map((r) => r.id);
}

/** The marker a commit leaves in a container's dir while it holds the container paused. */
const commitPause = (ctx: ContainerContext, id: string) => join(ctx.store.dir(id), 'commit-pause');

/** Notes that a commit pauses the container now (to be undone if berthd dies before the commit ends). */
export const markCommitPause = (ctx: ContainerContext, id: string) => writeFile(commitPause(ctx, id), '');
export const clearCommitPause = (ctx: ContainerContext, id: string) => rm(commitPause(ctx, id), { force: true });

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
