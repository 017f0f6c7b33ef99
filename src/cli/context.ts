/** What every command gets: its streams, the environment and a lazily made client. */
import type { Readable, Writable } from 'node:stream';
import { EngineClient, resolveHost, type TlsFlags } from '../client';

export interface CliStreams {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: Writable & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: Writable;
}

export class CliContext {
  private made: EngineClient | undefined;
  constructor(
    readonly io: CliStreams,
    readonly env: NodeJS.ProcessEnv,
    /** The `-H` value, read when the first request is made. */
    private readonly hostFlag: () => string | undefined,
    /** The global --tls* flags, read with `-H`. */
    private readonly tlsFlags: () => TlsFlags = () => ({}),
  ) {}

  get client(): EngineClient {
    this.made ??= new EngineClient({ host: resolveHost(this.hostFlag(), this.env, this.tlsFlags()), negotiate: true });
    return this.made;
  }

  /** The status the command asks to exit with (a container's exit code). */
  exitCode: number | undefined;

  out(text: string): void { this.io.stdout.write(text); }
  err(text: string): void { this.io.stderr.write(text); }
}
