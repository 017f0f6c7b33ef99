import type { Transport, HijackedStream } from './transport';

/** The exec create body (Engine API `ExecConfig`). */
export interface ExecCreateBody {
  AttachStdin?: boolean; AttachStdout?: boolean; AttachStderr?: boolean; DetachKeys?: string;
  Tty?: boolean; Env?: string[]; Cmd: string[]; Privileged?: boolean; User?: string; WorkingDir?: string;
}

export interface ExecInspect {
  ID: string; ContainerID: string; Running: boolean; ExitCode: number | null; Pid: number;
  ProcessConfig: { tty: boolean; entrypoint: string; arguments: string[]; privileged: boolean; user: string };
}

const enc = encodeURIComponent;

/** `/containers/{id}/exec` and `/exec/{id}/*`. */
export class ExecApi {
  constructor(private readonly t: Transport) {}

  create(containerId: string, body: ExecCreateBody): Promise<{ Id: string }> {
    return this.t.json('POST', `/containers/${enc(containerId)}/exec`, { body });
  }
  /** Starts an attached session: the raw stream of its stdio. */
  startAttached(execId: string): Promise<HijackedStream> {
    return this.t.hijack(`/exec/${enc(execId)}/start`);
  }
  startDetached(execId: string, tty: boolean): Promise<void> {
    return this.t.send('POST', `/exec/${enc(execId)}/start`, { body: { Detach: true, Tty: tty } });
  }
  inspect(execId: string): Promise<ExecInspect> {
    return this.t.json('GET', `/exec/${enc(execId)}/json`);
  }
  resize(execId: string, o: { height: number; width: number }): Promise<void> {
    return this.t.send('POST', `/exec/${enc(execId)}/resize`, { query: { h: o.height, w: o.width } });
  }
}
