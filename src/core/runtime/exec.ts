/** What running a process in a container needs of the monitor (conmon's exec mode). */
export interface ExecMonitorOptions {
  /** The container's ID (the runtime knows it by this). */
  containerId: string;
  /** The exec session's ID: names its attach socket and its dir. */
  execId: string;
  /** The session's own dir: process.json, pidfile, ctl fifo and log live here. */
  dir: string;
  runtime: { name: string; path: string; globalArgs: string[] };
  /** The OCI process spec to run, written as `<dir>/process.json` by the caller. */
  processSpec: string;
  exitDir: string;
  socketDir: string;
  stdin: boolean;
  tty: boolean;
  /** Wait, before the process starts, for the caller to connect to the attach socket. */
  attach: boolean;
}

/** A process being run in a container by the monitor. */
export interface ExecHandle {
  /** Resolves when the attach socket is ready (attach mode only). */
  attachReady: Promise<void>;
  /** Lets the process start (attach mode: after the caller connected). */
  release(): void;
  /** The process's PID, or the runtime's failure worded as Docker does. */
  pid: Promise<number>;
  /** The process's exit code. */
  exitCode: Promise<number>;
}

export interface ExecMonitor {
  exec(o: ExecMonitorOptions): ExecHandle;
}
