/**
 * What the container services need of the low-level runtime, the per-container monitor and
 * the attach channel. Implementations live in plugins/runtime-oci (runc/crun, conmon).
 */

/** The runtime's view of one container. */
export interface RuntimeState { id: string; pid: number; status: string }

/** An OCI runtime (runc, crun). */
export interface OciRuntime {
  readonly name: string;
  readonly path: string;
  /** Global args (the state root) the monitor must pass too. */
  readonly globalArgs: string[];
  start(id: string): Promise<void>;
  kill(id: string, signal: string, all?: boolean): Promise<void>;
  /** Removes the runtime's state; with force, kills first. A missing container is not an error. */
  delete(id: string, force?: boolean): Promise<void>;
  /** The state, or NotFound when the runtime has no such container. */
  state(id: string): Promise<RuntimeState>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  /** IDs of every container the runtime holds state for. */
  list(): Promise<string[]>;
}

export interface MonitorCreateOptions {
  id: string;
  name: string;
  bundle: string;
  runtime: Pick<OciRuntime, 'name' | 'path' | 'globalArgs'>;
  /** k8s-file log the container's output is written to. */
  logPath: string;
  /** `none` keeps no log; default k8s-file at logPath. */
  logDriver?: 'k8s-file' | 'none';
  /** Bytes the log may reach before the monitor starts it afresh; 0 or absent for no limit. */
  logSizeMax?: number;
  /** The monitor writes `<exitDir>/<id>` holding the exit code when the container ends. */
  exitDir: string;
  /** The monitor makes `<socketDir>/<id>/attach` and a `ctl` fifo in the bundle. */
  socketDir: string;
  stdin: boolean;
  /** Keep the container's stdin open when an attached client closes its side (not StdinOnce). */
  leaveStdinOpen: boolean;
  tty: boolean;
}

/**
 * Starts the process that watches one container for its whole life, independent of berthd.
 * Resolves with the container's init PID once the runtime created it (the caller then starts
 * it); rejects with the runtime's message and the exit code Docker reports (127, 126).
 */
export interface ContainerMonitor {
  create(o: MonitorCreateOptions): Promise<number>;
}

export type StdStream = 'stdout' | 'stderr';

/** One client's connection to a running container's stdio. */
export interface AttachConnection {
  onOutput(cb: (stream: StdStream, data: Buffer) => void): void;
  /** Called once, when the container ended or on error. */
  onClose(cb: () => void): void;
  writeStdin(data: Buffer): void;
  endStdin(): void;
  close(): void;
}

export interface AttachChannel {
  connect(socketPath: string): Promise<AttachConnection>;
  /** Resizes the container's terminal through the bundle's `ctl` fifo. */
  resize(ctlFifo: string, height: number, width: number): void;
}
