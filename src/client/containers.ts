/** Container endpoints of the Engine API. */
import type { IncomingMessage } from 'node:http';
import type { HijackedStream, Transport } from './transport';
import type {
  ContainerCreateBody, ContainerCreateResponse, ContainerInspect, ContainerSummary, WaitResponse,
} from './types';

const enc = encodeURIComponent;

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';
export interface ListOptions { all?: boolean; limit?: number; size?: boolean; filters?: Record<string, string[]> }
export interface AttachOptions {
  stdin?: boolean; stdout?: boolean; stderr?: boolean; logs?: boolean; detachKeys?: string;
}
export interface LogsOptions {
  follow?: boolean; timestamps?: boolean; tail?: string; since?: string; until?: string; details?: boolean;
}

/** `{"status":["exited"]}` becomes the docker CLI's `{"status":{"exited":true}}`. */
export function encodeFilters(filters: Record<string, string[]> | undefined): string | undefined {
  if (!filters || Object.keys(filters).length === 0) return undefined;
  const out: Record<string, Record<string, boolean>> = {};
  for (const [k, vs] of Object.entries(filters)) out[k] = Object.fromEntries(vs.map((v) => [v, true]));
  return JSON.stringify(out);
}

export class ContainersApi {
  constructor(private readonly t: Transport) {}

  list(o: ListOptions = {}): Promise<ContainerSummary[]> {
    return this.t.json('GET', '/containers/json', {
      query: { all: o.all, limit: o.limit, size: o.size, filters: encodeFilters(o.filters) },
    });
  }
  create(body: ContainerCreateBody, o: { name?: string; platform?: string } = {}): Promise<ContainerCreateResponse> {
    return this.t.json('POST', '/containers/create', { query: { name: o.name, platform: o.platform }, body });
  }
  inspect(id: string, o: { size?: boolean } = {}): Promise<ContainerInspect> {
    return this.t.json('GET', `/containers/${enc(id)}/json`, { query: { size: o.size } });
  }
  start(id: string, o: { detachKeys?: string } = {}): Promise<void> {
    return this.t.send('POST', `/containers/${enc(id)}/start`, { query: { detachKeys: o.detachKeys } });
  }
  stop(id: string, o: { timeout?: number; signal?: string } = {}): Promise<void> {
    return this.t.send('POST', `/containers/${enc(id)}/stop`, { query: { t: o.timeout, signal: o.signal } });
  }
  restart(id: string, o: { timeout?: number; signal?: string } = {}): Promise<void> {
    return this.t.send('POST', `/containers/${enc(id)}/restart`, { query: { t: o.timeout, signal: o.signal } });
  }
  kill(id: string, o: { signal?: string } = {}): Promise<void> {
    return this.t.send('POST', `/containers/${enc(id)}/kill`, { query: { signal: o.signal } });
  }
  remove(id: string, o: { force?: boolean; volumes?: boolean; link?: boolean } = {}): Promise<void> {
    return this.t.send('DELETE', `/containers/${enc(id)}`, { query: { force: o.force, v: o.volumes, link: o.link } });
  }
  pause(id: string): Promise<void> {
    return this.t.send('POST', `/containers/${enc(id)}/pause`);
  }
  unpause(id: string): Promise<void> {
    return this.t.send('POST', `/containers/${enc(id)}/unpause`);
  }
  /** `GET /containers/{id}/top`: the process table as the host's ps prints it. */
  top(id: string, o: { psArgs?: string } = {}): Promise<{ Titles: string[]; Processes: string[][] | null }> {
    return this.t.json('GET', `/containers/${enc(id)}/top`, { query: { ps_args: o.psArgs } });
  }
  resize(id: string, o: { height: number; width: number }): Promise<void> {
    return this.t.send('POST', `/containers/${enc(id)}/resize`, { query: { h: o.height, w: o.width } });
  }
  /**
   * Starts a wait: resolves once the daemon has sent the headers (so a following start
   * cannot be missed); the returned promise then resolves with the exit status.
   */
  async waitStarted(id: string, condition?: WaitCondition): Promise<{ result: Promise<WaitResponse> }> {
    const res = await this.t.request('POST', `/containers/${enc(id)}/wait`, { query: { condition } });
    // Wrapped: an async function returning a bare promise would wait for it.
    return { result: readJson<WaitResponse>(res) };
  }
  async wait(id: string, condition?: WaitCondition): Promise<WaitResponse> {
    return (await this.waitStarted(id, condition)).result;
  }
  attach(id: string, o: AttachOptions): Promise<HijackedStream> {
    return this.t.hijack(`/containers/${enc(id)}/attach`, {
      query: { stream: true, stdin: o.stdin, stdout: o.stdout, stderr: o.stderr, logs: o.logs, detachKeys: o.detachKeys },
    });
  }
  /** The log body stream: multiplexed unless the container has a TTY. */
  logs(id: string, o: LogsOptions): Promise<IncomingMessage> {
    return this.t.request('GET', `/containers/${enc(id)}/logs`, {
      query: {
        stdout: true, stderr: true, follow: o.follow, timestamps: o.timestamps, tail: o.tail,
        since: o.since, until: o.until, details: o.details,
      },
    });
  }
}

async function readJson<T>(res: IncomingMessage): Promise<T> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString()) as T;
}
