import { watch, type FSWatcher } from 'node:fs';
import { readFile, rm, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Conflict, InvalidArgument, NotFound, NotModified, isNotFound, hasErrno } from '../../errdefs';
import { isValidContainerName } from '../../lib/ids';
import { log } from '../../lib/logger';
import { KeyedLock } from '../../lib/keyed-lock';
import { createContainer, type CreateRequest } from './create-container';
import { startContainer, bundleDir, exitDir, socketDir, attachSocket, logPath } from './start-container';
import { removeSharedShm } from './security';
import { keepLog, logSettings } from './logging';
import { AttachSession, type AttachOptions, type AttachSink } from './attach-session';
import type { ContainerContext } from './deps';
import { forgetVolumes, mountPointsOf, releaseMounts, volumeNames } from './mounting';
import type { ContainerRecord } from './types';
import { releasePorts, restorePorts } from './ports-lifecycle';
import { syncLinkFirewall } from './etc-setup';
import { clearRemoval, collectOrphans, leftToRemove, markRemoval, settlePause } from './recover-containers';
import { noteRecovery } from '../../lib/recovery-log';

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';
interface Waiter { condition: WaitCondition; resolve: (code: number) => void }

const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20, TTIN: 21, TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28, IO: 29, PWR: 30, SYS: 31 };
/** How long a SIGKILL waits for the exit before `kill` returns anyway (moby waits too). */
const KILL_WAIT_MS = 10_000;

/** Docker's signal syntax: `SIGTERM`, `TERM`, `15`, `SIGRTMIN+3`. Returns the number. */
export function parseSignal(s: string): number {
  const up = s.toUpperCase().replace(/^SIG/, '');
  if (/^\d+$/.test(up) && Number(up) > 0 && Number(up) < 65) return Number(up);
  if (SIGNALS[up]) return SIGNALS[up];
  const rt = /^RTMIN(?:\+(\d+))?$/.exec(up) ?? /^RTMAX(?:-(\d+))?$/.exec(up);
  if (rt) return up.startsWith('RTMIN') ? 34 + Number(rt[1] ?? 0) : 64 - Number(rt[1] ?? 0);
  throw new InvalidArgument(`Invalid signal: ${s}`);
}

/**
 * The container use cases. One lock per container orders start, exit handling, stop and
 * remove; exits are learnt from conmon's exit files, so they are seen after a daemon restart too.
 */
export class ContainerService {
  private lock = new KeyedLock();
  private waiters = new Map<string, Waiter[]>();
  /** Containers a remove is under way for. */
  private removing = new Set<string>();
  private pendingAttach = new Map<string, AttachSession[]>();
  private restartTimers = new Map<string, NodeJS.Timeout>();
  private exitListeners: ((id: string) => void)[] = [];
  private startListeners: ((id: string) => void)[] = [];
  /** The last restart delay per container, for Docker's back-off. */
  private restartDelays = new Map<string, number>();
  private watcher?: FSWatcher;

  constructor(readonly ctx: ContainerContext) {}

  get store() { return this.ctx.store; }

  /** Loads records, reconciles them with the runtime and conmon's exit files, watches for exits. */
  async init(): Promise<void> {
    await this.store.load();
    this.ctx.volumes.restore(this.store.all().map((r) => ({ containerId: r.id, names: volumeNames(r), running: r.state.status === 'running' || r.state.status === 'paused' })));
    await mkdir(exitDir(this.ctx), { recursive: true });
    await mkdir(socketDir(this.ctx), { recursive: true });
    this.watcher = watch(exitDir(this.ctx), (_ev, file) => { if (file) this.onExitFile(String(file)); });
    const live = this.store.all().filter((r) => r.state.status === 'running' || r.state.status === 'paused');
    await this.ctx.network.restore(live.flatMap((r) => (r.sandbox ? [r.sandbox] : [])));
    await restorePorts(this.ctx, live);
    for (const rec of this.store.all()) {
      if (rec.state.status !== 'running' && rec.state.status !== 'paused') continue;
      const runtime = this.ctx.runtimes.get(rec.runtime)!;
      const status = await runtime.state(rec.id).then((s) => s.status, (e) => { if (isNotFound(e)) return 'stopped'; throw e; });
      if (status === 'running' || status === 'paused') await settlePause(this.ctx, rec, status);
      else await this.lock.run(rec.id, () => this.handleExit(rec.id, true));
    }
    for (const f of await readdir(exitDir(this.ctx))) this.onExitFile(f);
    for (const rec of this.store.all()) {
      if (rec.state.status !== 'running' && rec.state.status !== 'paused') continue;
      // Rotated log generations are kept again for containers that ran on while berthd was down.
      try {
        const logs = logSettings(rec.hostConfig.LogConfig as Parameters<typeof logSettings>[0]);
        if (logs.driver !== 'none') keepLog(rec.id, { path: logPath(this.ctx, rec.id), maxFile: logs.maxFile, pid: rec.state.pid });
      } catch (e) { log.warn('log keeper not resumed', { id: rec.id, error: String(e) }); }
    }
    await collectOrphans(this.ctx);
    for (const r of await leftToRemove(this.ctx)) {
      await this.remove(r.id, { force: true, volumes: r.volumes });
      noteRecovery(r.action, r.what);
    }
    for (const rec of this.store.all()) {
      const p = rec.hostConfig.RestartPolicy.Name;
      const due = rec.state.status === 'restarting' || (rec.state.status === 'exited' && (p === 'always' || (p === 'unless-stopped' && !rec.manuallyStopped)));
      if (due) {
        this.start(rec.id).catch((e) => log.warn('restart on daemon start failed', { id: rec.id, error: String(e) }));
      }
    }
  }

  async close(): Promise<void> {
    this.watcher?.close();
    await this.ctx.network.close();
  }

  private onExitFile(id: string) {
    if (!/^[0-9a-f]{64}$/.test(id) || !this.store.find(id)) return;
    void this.lock.run(id, () => this.handleExit(id, false)).catch((e) => log.error('exit handling failed', { id, error: String(e) }));
  }

  /** Records an exit: reads conmon's exit file, releases the runtime, network and mount. */
  private async handleExit(id: string, lost: boolean): Promise<void> {
    const rec = this.store.find(id);
    if (!rec || (rec.state.status !== 'running' && rec.state.status !== 'paused')) return;
    const file = join(exitDir(this.ctx), id);
    let code: number;
    try {
      const text = (await readFile(file, 'utf8')).trim();
      if (text === '' && !lost) return; // not written whole yet: its next event brings it
      code = text === '' ? 255 : Number(text);
    } catch (e) {
      if (!hasErrno(e, 'ENOENT')) throw e;
      if (!lost) return;
      code = 137;
    }
    const exitCode = Number.isFinite(code) ? code : 255;
    // Read before the runtime's delete removes the cgroup that counts the kills.
    const oomKilled = await this.ctx.cgroups?.oomKilled(id).catch(() => false) ?? false;
    const sandbox = rec.sandbox;
    const release = async () => {
      // The process is gone: its runtime state, namespace and mount are released side by side.
      await Promise.all([
        this.ctx.runtimes.get(rec.runtime)!.delete(id, true).catch((e) => log.warn('runtime delete failed', { id, error: String(e) })),
        (sandbox ? this.ctx.network.detach(sandbox) : Promise.resolve()).catch((e) => log.warn('network detach failed', { id, error: String(e) })),
        releasePorts(this.ctx, rec).catch((e) => log.warn('unpublishing ports failed', { id, error: String(e) })),
        this.ctx.rootfs.unmount(id).catch((e) => log.warn('unmount failed', { id, error: String(e) })),
        releaseMounts(this.ctx, rec).catch((e) => log.warn('volume unmount failed', { id, error: String(e) })),
        rm(bundleDir(this.ctx, id), { recursive: true, force: true }),
        rm(join(socketDir(this.ctx), id), { force: true }),
      ]);
      await syncLinkFirewall(this.ctx);
      this.exitListeners.forEach((l) => l(id));
    };
    rec.state = { ...rec.state, status: 'exited', pid: 0, exitCode, oomKilled, finishedAt: new Date().toISOString() };
    rec.sandbox = undefined;
    this.ctx.events('die', rec, { exitCode: String(exitCode) });
    if (this.restarts(rec)) {
      await release();
      rec.state.status = 'restarting';
      rec.restartCount++;
      await this.saveExit(rec, file);
      this.notify(id, ['next-exit'], exitCode);
      this.restartTimers.set(id, setTimeout(() => {
        this.restartTimers.delete(id);
        this.start(rec.id).catch((e) => log.warn('restart failed', { id: rec.id, error: String(e) }));
      }, this.nextRestartDelay(rec)));
    } else if (rec.hostConfig.AutoRemove) {
      this.restartDelays.delete(id);
      // Nobody can reach the container again: forget it and answer the waiters first, then
      // release what it held (init() collects what a crash in between leaves).
      await this.removeLocked(rec, true);
      await release();
      await rm(file, { force: true });
    } else {
      this.restartDelays.delete(id);
      await release();
      await this.saveExit(rec, file);
      this.notify(id, ['not-running', 'next-exit'], exitCode);
    }
  }

  /**
   * Records an exit, then removes its exit file: a crash before that reads the exit code again
   * at start. A record that cannot be written (a full disk) keeps the file for the next start;
   * the exit stands in memory and waiters are answered, as dockerd logs a failed checkpoint.
   */
  private async saveExit(rec: ContainerRecord, file: string): Promise<void> {
    try {
      await this.store.save(rec);
    } catch (e) {
      log.error('exit not recorded', { id: rec.id, error: String(e) });
      return;
    }
    await rm(file, { force: true });
  }

  /** A stop, kill or remove during the pause before a restart: the container stays exited. */
  private async cancelRestart(rec: ContainerRecord): Promise<void> {
    clearTimeout(this.restartTimers.get(rec.id));
    this.restartTimers.delete(rec.id);
    this.restartDelays.delete(rec.id);
    rec.manuallyStopped = true;
    rec.state.status = 'exited';
    await this.store.save(rec);
    this.notify(rec.id, ['not-running'], rec.state.exitCode);
  }

  /**
   * Docker's back-off: 100 ms before the first restart, doubled for each restart of a container
   * that ran less than 10 s, capped at a minute; a run of 10 s or more starts over at 100 ms.
   */
  private nextRestartDelay(rec: ContainerRecord): number {
    const ran = Date.parse(rec.state.finishedAt) - Date.parse(rec.state.startedAt);
    const prev = ran >= 10_000 ? 0 : this.restartDelays.get(rec.id) ?? 0;
    const delay = prev ? Math.min(prev * 2, 60_000) : 100;
    this.restartDelays.set(rec.id, delay);
    return delay;
  }

  /** Whether the restart policy brings this just-exited container back. */
  private restarts(rec: ContainerRecord): boolean {
    const p = rec.hostConfig.RestartPolicy;
    return !rec.manuallyStopped && (p.Name === 'always' || p.Name === 'unless-stopped' ||
      (p.Name === 'on-failure' && rec.state.exitCode !== 0 && (!p.MaximumRetryCount || rec.restartCount < p.MaximumRetryCount)));
  }

  /**
   * Deletes a stopped container's record and layer and drops its volume references (its
   * anonymous volumes too with removeVolumes); the caller holds its lock.
   */
  private async removeLocked(rec: ContainerRecord, removeVolumes = false): Promise<void> {
    for (const a of this.pendingAttach.get(rec.id) ?? []) a.finish();
    this.pendingAttach.delete(rec.id);
    this.restartDelays.delete(rec.id);
    await this.store.delete(rec);
    await removeSharedShm(this.ctx, rec.id);
    // Volume mounts end before their removal (the exit path's own release comes after this).
    await releaseMounts(this.ctx, rec);
    await forgetVolumes(this.ctx.volumes, rec.id, mountPointsOf(rec), removeVolumes);
    this.ctx.events('destroy', rec);
    this.notify(rec.id, ['not-running', 'next-exit', 'removed'], rec.state.exitCode);
    await this.ctx.rootfs.remove(rec.id);
  }

  private notify(id: string, conditions: WaitCondition[], code: number) {
    const list = this.waiters.get(id) ?? [];
    const keep = list.filter((w) => { if (conditions.includes(w.condition)) { w.resolve(code); return false; } return true; });
    if (keep.length) this.waiters.set(id, keep); else this.waiters.delete(id);
  }

  create(req: CreateRequest) { return createContainer(this.ctx, req); }

  /** Runs fn under the container's lock, the one start, exit handling and remove take. */
  locked<T>(id: string, fn: () => Promise<T>): Promise<T> { return this.lock.run(id, fn); }

  /** Calls cb with a container's ID each time one stops running (exec sessions end with it). */
  onExit(cb: (id: string) => void): void { this.exitListeners.push(cb); }

  /** Calls cb with a container's ID each time it starts (a restart by its policy included). */
  onStart(cb: (id: string) => void): void { this.startListeners.push(cb); }

  inspect(ref: string): ContainerRecord { return this.store.get(ref); }

  list(): ContainerRecord[] { return this.store.all(); }

  async start(ref: string): Promise<void> {
    const id = this.store.get(ref).id;
    try {
      await this.lock.run(id, async () => {
        const rec = this.store.get(id);
        if (this.removing.has(id)) throw new Conflict(`container ${id} is marked for removal and cannot be started`);
        const attaches = this.pendingAttach.get(id) ?? [];
        this.pendingAttach.delete(id);
        rec.manuallyStopped = false;
        await startContainer(this.ctx, rec, attaches.filter((a) => !a.closed));
        this.ctx.events('start', rec);
      });
      this.startListeners.forEach((l) => l(id));
    } catch (e) {
      // As Docker: an auto-remove container that fails to start is removed at once.
      const rec = this.store.find(id);
      if (rec?.hostConfig.AutoRemove && rec.state.status !== 'running') await this.remove(id, { force: true, volumes: true }).catch(() => {});
      throw e;
    }
    // An exit that raced the start is picked up now that the record says running.
    this.onExitFile(id);
  }

  async stop(ref: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    const rec = this.store.get(ref);
    if (rec.state.status === 'restarting') { await this.cancelRestart(rec); this.ctx.events('stop', rec); return; }
    if (rec.state.status !== 'running' && rec.state.status !== 'paused') throw new NotModified('container already stopped');
    rec.manuallyStopped = true;
    // Recorded before the signal: an exit while berthd is down must not restart it by its policy.
    await this.store.save(rec);
    const signal = parseSignal(opts.signal || rec.config.StopSignal || 'SIGTERM');
    const timeout = opts.timeout ?? rec.config.StopTimeout ?? 10;
    const exited = this.waitFor(rec.id, 'not-running');
    const runtime = this.ctx.runtimes.get(rec.runtime)!;
    if (rec.state.status === 'paused') await runtime.resume(rec.id).catch(() => {});
    await runtime.kill(rec.id, String(signal)).catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const timedOut = timeout < 0 ? await exited.then(() => false)
      : await Promise.race([exited.then(() => false), new Promise<boolean>((r) => { timer = setTimeout(() => r(true), timeout * 1000); })]);
    clearTimeout(timer);
    if (timedOut) {
      await runtime.kill(rec.id, '9', true).catch(() => {});
      await exited;
    }
    this.ctx.events('stop', rec);
  }

  async kill(ref: string, signal = 'SIGKILL'): Promise<void> {
    const rec = this.store.find(ref);
    if (!rec) throw new NotFound(`cannot kill container: ${ref}: No such container: ${ref}`);
    const sig = parseSignal(signal);
    if (rec.state.status === 'restarting') { await this.cancelRestart(rec); return; }
    if (rec.state.status !== 'running' && rec.state.status !== 'paused') {
      throw new Conflict(`cannot kill container: ${ref}: container ${rec.id} is not running`);
    }
    if (sig === 9 || sig === 15 || sig === 2) rec.manuallyStopped = true;
    // As dockerd: SIGKILL returns once the container has exited (bounded), other signals at once.
    const exited = sig === 9 ? this.waitFor(rec.id, 'not-running') : undefined;
    await this.ctx.runtimes.get(rec.runtime)!.kill(rec.id, String(sig), sig === 9);
    this.ctx.events('kill', rec, { signal: String(sig) });
    if (exited) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((r) => { timer = setTimeout(r, KILL_WAIT_MS); })]);
      clearTimeout(timer);
    }
  }

  async restart(ref: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    await this.stop(ref, opts).catch((e) => { if (!(e instanceof NotModified)) throw e; });
    await this.start(ref);
  }

  async remove(ref: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const rec = this.store.get(ref);
    if (rec.state.status === 'restarting') await this.cancelRestart(rec);
    if ((rec.state.status === 'running' || rec.state.status === 'paused') && !opts.force) {
      throw new Conflict(`cannot remove container "/${rec.name}": container is running: stop the container before removing or force remove`);
    }
    // As dockerd's removal-in-progress mark: a second remove is a conflict, a start refused.
    if (this.removing.has(rec.id)) throw new Conflict(`removal of container ${ref} is already in progress`);
    this.removing.add(rec.id);
    try {
      await markRemoval(this.ctx, rec.id, !!opts.volumes);
      // A start that held the lock when this began leaves the container running: kill again.
      for (let gone = false; !gone;) {
        if (rec.state.status === 'running' || rec.state.status === 'paused') {
          rec.manuallyStopped = true;
          const exited = this.waitFor(rec.id, 'not-running');
          await this.ctx.runtimes.get(rec.runtime)!.kill(rec.id, '9', true).catch(() => {});
          await exited;
        }
        gone = await this.lock.run(rec.id, async () => {
          if (rec.state.status === 'running' || rec.state.status === 'paused') return false;
          if (this.store.find(rec.id)) await this.removeLocked(rec, !!opts.volumes);
          return true;
        });
      }
    } finally {
      this.removing.delete(rec.id);
      if (this.store.find(rec.id)) await clearRemoval(this.ctx, rec.id);
    }
  }

  /**
   * Resolves with the exit code when the condition is met: `not-running` at once for a
   * container that is not running, `next-exit` at its next exit, `removed` once it is gone.
   */
  wait(ref: string, condition: WaitCondition = 'not-running'): Promise<number> {
    const rec = this.store.get(ref);
    return this.waitFor(rec.id, condition);
  }

  private waitFor(id: string, condition: WaitCondition): Promise<number> {
    const rec = this.store.find(id);
    if (!rec) return Promise.resolve(0);
    if (condition === 'not-running' && rec.state.status !== 'running' && rec.state.status !== 'paused' && rec.state.status !== 'restarting') {
      return Promise.resolve(rec.state.exitCode);
    }
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push({ condition, resolve });
      this.waiters.set(id, list);
    });
  }

  /**
   * Attaches a client. A created container gets the session at its start, so no early output is
   * lost; a stopped one refuses as Docker does.
   */
  async attach(ref: string, opts: AttachOptions, sink: AttachSink): Promise<{ session: AttachSession; tty: boolean }> {
    const rec = this.store.get(ref);
    const opened = { ...opts, stdin: opts.stdin && rec.config.OpenStdin };
    if (rec.state.status === 'running' || rec.state.status === 'paused') {
      const session = new AttachSession(opened, sink);
      await session.connect(this.ctx.attach, attachSocket(this.ctx, rec.id));
      return { session, tty: rec.config.Tty };
    }
    if (rec.state.status !== 'created' && rec.state.status !== 'exited') {
      throw new Conflict('You cannot attach to a stopped container, start it first');
    }
    const list = this.pendingAttach.get(rec.id) ?? [];
    const session = new AttachSession(opened, sink, () => {
      const l = this.pendingAttach.get(rec.id);
      if (l) this.pendingAttach.set(rec.id, l.filter((s) => s !== session));
    });
    list.push(session);
    this.pendingAttach.set(rec.id, list);
    return { session, tty: rec.config.Tty };
  }

  resize(ref: string, height: number, width: number): void {
    const rec = this.store.get(ref);
    if (rec.state.status !== 'running') throw new Conflict(`Container ${rec.id} is not running`);
    if (!rec.config.Tty) return;
    this.ctx.attach.resize(join(bundleDir(this.ctx, rec.id), 'ctl'), height, width);
  }

  async rename(ref: string, newName: string): Promise<void> {
    if (!newName.replace(/^\//, '')) throw new InvalidArgument('Neither old nor new names may be empty');
    const rec = this.store.get(ref);
    const name = newName.replace(/^\//, '');
    if (!isValidContainerName(name)) throw new InvalidArgument(`Error when allocating new name: Invalid container name (/${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    const owner = this.store.nameOwner(name);
    if (owner) throw new Conflict(`Conflict. The container name "/${name}" is already in use by container "${owner}". You have to remove (or rename) that container to be able to reuse that name.`);
    this.store.releaseName(rec.name, rec.id);
    rec.name = name;
    await this.store.save(rec);
  }
}

