/**
 * Container start by network mode, through the engine API (spawn-free, so the daemon's own
 * cost shows): `--network none`, the default bridge, and a user-defined bridge network. The
 * issue's target: the default bridge adds at most 15 ms over none. Each iteration creates a
 * container (untimed), times its start, and removes it (untimed).
 */
import { request } from 'node:http';
import type { Case } from './case';
import { median, type Row } from './stats';
import { attempt } from './target';

/** The target: start on the default bridge minus start with none, in ms (medians). */
export const BRIDGE_OVER_NONE_MS = 15;

function api(socketPath: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any; ms: number }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const start = process.hrtime.bigint();
    const req = request({ socketPath, method, path, timeout: 30_000, headers: data ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (b) => { text += b; });
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        let json: unknown;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        resolve({ status: res.statusCode ?? 0, json, ms });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} on ${socketPath}: timed out`)));
    req.on('error', reject);
    req.end(data);
  });
}

export class NetworkCases {
  private network?: string;
  private containers = new Set<string>();

  /** Case names by mode. */
  readonly names: { none: string; bridge: string; user: string };

  constructor(private readonly socketPath: string, private readonly tag: string, engine = 'berthd') {
    this.names = { none: `API start --network none -> ${engine}`, bridge: `API start --network bridge -> ${engine}`, user: `API start --network <user bridge> -> ${engine}` };
  }

  cases(): Case[] {
    return [
      { name: this.names.none, iterate: () => this.timedStart('none') },
      { name: this.names.bridge, iterate: () => this.timedStart('bridge') },
      {
        name: this.names.user,
        iterate: async (i) => {
          if (i < 0 && !this.network) {
            const r = await api(this.socketPath, 'POST', '/networks/create', { Name: `${this.tag}-net` });
            if (r.status !== 201) throw new Error(`network create: HTTP ${r.status} ${r.json?.message ?? ''}`);
            this.network = `${this.tag}-net`;
          }
          return this.timedStart(this.network!);
        },
      },
    ];
  }

  private async timedStart(mode: string): Promise<number> {
    const c = await api(this.socketPath, 'POST', '/containers/create', { Image: 'busybox', Cmd: ['sleep', '60'], HostConfig: { NetworkMode: mode } });
    if (c.status !== 201) throw new Error(`create (${mode}): HTTP ${c.status} ${c.json?.message ?? ''}`);
    const id = c.json.Id as string;
    this.containers.add(id);
    const s = await api(this.socketPath, 'POST', `/containers/${id}/start`);
    if (s.status !== 204) throw new Error(`start (${mode}): HTTP ${s.status} ${s.json?.message ?? ''}`);
    await api(this.socketPath, 'DELETE', `/containers/${id}?force=1`);
    this.containers.delete(id);
    return s.ms;
  }

  /** The default bridge's cost over none against the target, when both cases ran. */
  summary(rows: Row[]): string | undefined {
    const m = (name: string) => { const r = rows.find((x) => x.name === name); return r?.samples.length ? median(r.samples) : undefined; };
    const none = m(this.names.none);
    const bridge = m(this.names.bridge);
    if (none === undefined || bridge === undefined) return undefined;
    const over = bridge - none;
    return `start with the default bridge: ${over >= 0 ? '+' : ''}${over.toFixed(1)} ms over --network none (target <= ${BRIDGE_OVER_NONE_MS} ms): ${over <= BRIDGE_OVER_NONE_MS ? 'met' : 'NOT met'}\n`;
  }

  async cleanup(): Promise<void> {
    for (const id of this.containers) await attempt(`remove container ${id}`, () => api(this.socketPath, 'DELETE', `/containers/${id}?force=1`));
    if (this.network) await attempt(`remove network ${this.network}`, () => api(this.socketPath, 'DELETE', `/networks/${this.network}`));
  }
}
