import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newId } from '../../lib/ids';
import { Conflict, InvalidArgument, NotFound } from '../../errdefs';
import { log } from '../../lib/logger';
import { resolveUser } from './user';
import { AttachSession, type AttachSink } from './attach-session';
import { bundleDir, socketDir } from './start-container';
import type { ContainerContext } from './deps';
import type { ContainerRecord } from './types';
import type { ExecMonitor } from '../../core/runtime';

/** The exec create body, in the Engine API's shape. */
export interface ExecConfig {
  AttachStdin?: boolean; AttachStdout?: boolean; AttachStderr?: boolean; DetachKeys?: string;
  Tty?: boolean; Env?: string[] | null; Cmd?: string[] | string | null; Privileged?: boolean;
  User?: string; WorkingDir?: string;
}

export interface ExecRecord {
  id: string;
  containerId: string;
  config: ExecConfig & { Cmd: string[] };
  running: boolean;
  started: boolean;
  exitCode: number | null;
  pid: number;
}

/** What exec needs of the containers: their records, and word of each stop. */
export interface ExecContainers {
  inspect(ref: string): ContainerRecord;
  onExit(cb: (id: string) => void): void;
}

/** Cap on finished sessions kept per container for inspection. */
const KEEP_FINISHED = 64;

/**
 * Processes run in a running container (`docker exec`): each session is a conmon in exec mode.
 * A session's exit code is recorded before its attached stream ends, as clients read it then.
 */
export class ExecService {
  private sessions = new Map<string, ExecRecord>();

  constructor(private readonly ctx: ContainerContext, private readonly containers: ExecContainers, private readonly monitor: ExecMonitor) {
    containers.onExit((id) => {
      for (const s of this.sessions.values()) if (s.containerId === id && !s.running) this.sessions.delete(s.id);
    });
  }

  private get exitDir() { return join(this.ctx.paths.execRoot, 'exec-exits'); }
  private dir(id: string) { return join(this.ctx.paths.execRoot, 'exec', id); }

  create(ref: string, cfg: ExecConfig): ExecRecord {
    const rec = this.containers.inspect(ref);
    if (rec.state.status === 'paused') throw new Conflict(`container ${rec.id} is paused, unpause the container before exec`);
    if (rec.state.status !== 'running') throw new Conflict(`container ${rec.id} is not running`);
    const cmd = typeof cfg.Cmd === 'string' ? [cfg.Cmd] : cfg.Cmd ?? [];
    if (cmd.length === 0) throw new InvalidArgument('No exec command specified');
    const finished = [...this.sessions.values()].filter((s) => s.containerId === rec.id && !s.running && s.started);
    for (const s of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.sessions.delete(s.id);
    const session: ExecRecord = { id: newId(), containerId: rec.id, config: { ...cfg, Cmd: cmd }, running: false, started: false, exitCode: null, pid: 0 };
    this.sessions.set(session.id, session);
    return session;
  }

  inspect(id: string): ExecRecord {
    const s = this.sessions.get(id);
    if (!s) throw new NotFound(`No such exec instance: ${id}`);
    return s;
  }

  /** The refusals of `start` (NotFound, Conflict), for a caller to answer them before it streams. */
  startable(id: string): { session: ExecRecord; container: ContainerRecord } {
    const s = this.inspect(id);
    if (s.started) throw new Conflict(`Error: Exec command ${id} has already run`);
    const rec = this.containers.inspect(s.containerId);
    if (rec.state.status !== 'running') throw new Conflict(`container ${rec.id} is not running`);
    return { session: s, container: rec };
  }

  /**
   * Starts a session. Attached (sink given): output goes to sink, and the process starts only
   * once the session is connected, so no output is lost. Detached: returns once it runs.
   */
  async start(id: string, opts: { tty?: boolean; sink?: AttachSink }): Promise<AttachSession | undefined> {
    const { session: s, container: rec } = this.startable(id);
    s.started = true;
    const c = s.config;
    const tty = opts.tty ?? !!c.Tty;
    const dir = this.dir(id);
    await mkdir(dir, { recursive: true });
    await mkdir(this.exitDir, { recursive: true });
    const processSpec = join(dir, 'process.json');
    await writeFile(processSpec, JSON.stringify(await this.processFor(rec.id, c, tty)));
    const attach = !!opts.sink;
    const handle = this.monitor.exec({
      containerId: rec.id, execId: id, dir, runtime: this.ctx.runtimes.get(rec.runtime)!, processSpec,
      exitDir: this.exitDir, socketDir: socketDir(this.ctx), stdin: !!c.AttachStdin && attach, tty, attach,
    });
    s.running = true;
    const exited = handle.exitCode.then(async (code) => {
      s.exitCode = code;
      s.running = false;
      await rm(dir, { recursive: true, force: true });
      await rm(join(this.exitDir, rec.id), { force: true });
      this.ctx.events('exec_die', rec, { execID: id, exitCode: String(code) });
      return code;
    });
    this.ctx.events('exec_start', rec, { execID: id });
    let session: AttachSession | undefined;
    if (opts.sink) {
      const sink = opts.sink;
      // The stream ends only once the exit code is recorded.
      session = new AttachSession(
        { stdin: !!c.AttachStdin, stdout: c.AttachStdout ?? true, stderr: c.AttachStderr ?? true, detachKeys: c.DetachKeys },
        { write: (stream, data) => sink.write(stream, data), end: () => { void exited.finally(() => sink.end()); } },
      );
      await handle.attachReady;
      await session.connect(this.ctx.attach, join(socketDir(this.ctx), id, 'attach'));
      handle.release();
    }
    try {
      s.pid = await handle.pid;
    } catch (e) {
      // Attached: the failure goes to the client's stream and the exit code says it (126/127).
      if (!session) throw e;
      opts.sink!.write('stderr', Buffer.from(`${(e as Error).message}\r\n`));
      log.debug('exec failed to start', { id, error: (e as Error).message });
    }
    return session;
  }

  resize(id: string, height: number, width: number): void {
    const s = this.inspect(id);
    if (!s.running) throw new Conflict(`Exec ${id} is not running`);
    if (!s.config.Tty) return;
    // Clients resize as soon as the stream is up, which can be before conmon made its ctl fifo.
    try {
      this.ctx.attach.resize(join(this.dir(id), 'ctl'), height, width);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Conflict(`Exec ${id} is not running`, { cause: e });
      throw e;
    }
  }

  /** The OCI process for a session: the container's own, with the exec's command and overrides. */
  private async processFor(containerId: string, c: ExecRecord['config'], tty: boolean): Promise<Record<string, unknown>> {
    const spec = JSON.parse(await readFile(join(bundleDir(this.ctx, containerId), 'config.json'), 'utf8')) as {
      process: Record<string, unknown> & { env: string[]; cwd: string; user: unknown; capabilities: Record<string, string[]> };
      root: { path: string };
    };
    const p = { ...spec.process };
    p.args = c.Cmd;
    p.terminal = tty;
    const env = new Map(p.env.map((e) => [e.split('=', 1)[0], e]));
    for (const e of c.Env ?? []) env.set(e.split('=', 1)[0], e);
    if (tty && !env.has('TERM')) env.set('TERM', 'TERM=xterm');
    p.env = [...env.values()];
    if (c.WorkingDir) p.cwd = c.WorkingDir;
    if (c.User) {
      const u = await resolveUser(spec.root.path, c.User);
      p.user = { uid: u.uid, gid: u.gid, ...(u.additionalGids.length ? { additionalGids: u.additionalGids } : {}) };
    }
    if (c.Privileged) {
      const all = this.ctx.hostCapabilities;
      p.capabilities = { bounding: all, effective: all, permitted: all };
    }
    return p;
  }
}
