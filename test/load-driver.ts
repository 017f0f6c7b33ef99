import http from 'node:http';
import { readFile } from 'node:fs/promises';

/**
 * An Engine API load driver: `clients` concurrent clients, each with its own keep-alive agent
 * over the unix socket (as dockerode holds one), looping over a weighted mix of ps, inspect,
 * logs (plain and follow), create, start, stop, rm -f and exec (create + attached start) for
 * `durationMs`. They act on their own containers and on the other clients', which may be
 * removed meanwhile, so 404 and 409 are expected; any other 4xx, any 5xx, a socket error or a
 * request in flight past `stuckMs` is a failure. Every container it creates carries the label
 * `berth.load=<runId>`.
 */
export interface LoadOptions {
  socket: string;
  clients: number;
  durationMs: number;
  runId: string;
  image?: string;
  /** A request in flight longer than this is a deadlock: it is failed and destroyed. */
  stuckMs?: number;
  /** Each client keeps at most this many containers of its own. */
  perClient?: number;
}

export type Endpoint = 'ps' | 'inspect' | 'logs' | 'logs-follow' | 'create' | 'start' | 'stop' | 'rm' | 'exec-create' | 'exec-start';

/** The statuses Docker answers for each request in these situations (the container may be gone or going). */
const ALLOWED: Record<Endpoint, number[]> = {
  ps: [200],
  inspect: [200, 404],
  logs: [200, 404],
  'logs-follow': [200, 404],
  create: [201],
  start: [204, 304, 404, 409],
  stop: [204, 304, 404, 409],
  rm: [204, 404, 409],
  'exec-create': [201, 404, 409],
  'exec-start': [200, 404, 409],
};

/** Docker's messages for those 4xx (ids written as <id>). */
const DOCKER_4XX = [
  /^No such container: \S+$/,
  /^No such exec instance: \S+$/,
  /^container <id> is not running$/,
  /^Container <id> is not running$/,
  /^removal of container <id> is already in progress$/,
  /^container (<id> )?is marked for removal and cannot be started$/,
  /^Container <id> is restarting, wait until the container is running$/,
];

const WEIGHTS: [Endpoint | 'exec', number][] = [
  ['ps', 12], ['inspect', 14], ['logs', 10], ['logs-follow', 3], ['create', 12],
  ['start', 12], ['stop', 8], ['rm', 7], ['exec', 12],
];
const WEIGHT_SUM = WEIGHTS.reduce((n, [, w]) => n + w, 0);

export interface EndpointStats { latencies: number[]; statuses: Map<number, number> }

export interface LoadReport {
  durationMs: number;
  total: number;
  endpoints: Map<Endpoint, EndpointStats>;
  /** Unexpected statuses, 4xx in words Docker would not use, socket errors, stuck requests. */
  failures: string[];
  /** Distinct 4xx messages seen (ids replaced by <id>), with counts. */
  messages: Map<string, number>;
  execOutputMismatch: number;
}

interface Reply { status: number; body: string }

const pick = <T>(a: T[]): T | undefined => a[Math.floor(Math.random() * a.length)];

export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  const image = opts.image ?? 'busybox';
  const stuckMs = opts.stuckMs ?? 30_000;
  const perClient = opts.perClient ?? 2;
  const report: LoadReport = { durationMs: opts.durationMs, total: 0, endpoints: new Map(), failures: [], messages: new Map(), execOutputMismatch: 0 };
  const inFlight = new Map<http.ClientRequest, { started: number; what: string }>();
  /** Every container some client created and nobody has seen removed. */
  const shared = new Set<string>();
  let seq = 0;

  const record = (ep: Endpoint, ms: number, r: Reply | Error, what: string) => {
    report.total++;
    let s = report.endpoints.get(ep);
    if (!s) report.endpoints.set(ep, s = { latencies: [], statuses: new Map() });
    s.latencies.push(ms);
    const status = r instanceof Error ? 0 : r.status;
    s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
    if (r instanceof Error) { report.failures.push(`${what}: ${r.message}`); return; }
    if (!ALLOWED[ep].includes(r.status)) report.failures.push(`${what}: ${r.status} ${r.body.slice(0, 300)}`);
    else if (r.status >= 400) {
      let msg = '';
      try { msg = String(JSON.parse(r.body).message); } catch { msg = `(not JSON) ${r.body.slice(0, 200)}`; }
      const shape = msg.replace(/\b[0-9a-f]{64}\b/g, '<id>');
      report.messages.set(shape, (report.messages.get(shape) ?? 0) + 1);
      if (!DOCKER_4XX.some((re) => re.test(shape))) report.failures.push(`${what}: ${r.status} in words Docker does not use: ${msg}`);
    }
  };

  /** One request; `abortAfterMs` ends a streaming response on purpose (follow). */
  const request = (agent: http.Agent, ep: Endpoint, method: string, path: string, body?: unknown, abortAfterMs?: number): Promise<Reply | undefined> => {
    const what = `${method} ${path}`;
    const started = performance.now();
    return new Promise((resolve) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      let done = false;
      let headersAt = 0;
      const finish = (r: Reply | Error) => {
        if (done) return;
        done = true;
        inFlight.delete(req);
        record(ep, (headersAt && abortAfterMs ? headersAt : performance.now()) - started, r, what);
        resolve(r instanceof Error ? undefined : r);
      };
      const req = http.request({ socketPath: opts.socket, agent, method, path, headers: data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {} }, (res) => {
        headersAt = performance.now();
        let text = '';
        let timer: NodeJS.Timeout | undefined;
        if (abortAfterMs && res.statusCode === 200) {
          timer = setTimeout(() => { finish({ status: 200, body: text }); req.destroy(); }, abortAfterMs);
        }
        res.setEncoding('latin1');
        res.on('data', (b: string) => { if (text.length < 1 << 20) text += b; });
        res.on('end', () => { clearTimeout(timer); finish({ status: res.statusCode ?? 0, body: text }); });
        res.on('error', (e) => { clearTimeout(timer); finish(e); });
        res.on('close', () => { clearTimeout(timer); if (!res.complete) finish(new Error('response closed before its end')); });
      });
      inFlight.set(req, { started: Date.now(), what });
      req.on('error', (e) => finish(e));
      req.end(data);
    });
  };

  const watchdog = setInterval(() => {
    const now = Date.now();
    for (const [req, f] of inFlight) {
      if (now - f.started > stuckMs) {
        report.failures.push(`${f.what}: no answer after ${stuckMs} ms (deadlock?)`);
        inFlight.delete(req);
        req.destroy(new Error('stuck'));
      }
    }
  }, 1000);

  const deadline = Date.now() + opts.durationMs;
  const client = async (n: number) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    const own: string[] = [];
    const forget = (id: string) => { shared.delete(id); const i = own.indexOf(id); if (i >= 0) own.splice(i, 1); };
    const target = () => (Math.random() < 0.7 && own.length ? pick(own) : pick([...shared].slice(-64))) ?? pick(own);
    try {
      while (Date.now() < deadline) {
        let r = Math.random() * WEIGHT_SUM;
        let op = WEIGHTS[0][0];
        for (const [name, w] of WEIGHTS) { if ((r -= w) < 0) { op = name; break; } }
        if (op === 'create' && own.length >= perClient) op = 'rm';
        const id = op === 'rm' && own.length >= perClient ? own[0] : target();
        if (op !== 'ps' && op !== 'create' && !id) op = 'create';
        switch (op) {
          case 'ps': await request(agent, 'ps', 'GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [`berth.load=${opts.runId}`] }))}`); break;
          case 'inspect': {
            const res = await request(agent, 'inspect', 'GET', `/containers/${id}/json`);
            if (res?.status === 404) forget(id!);
            break;
          }
          case 'logs': await request(agent, 'logs', 'GET', `/containers/${id}/logs?stdout=1&stderr=1&tail=50`); break;
          case 'logs-follow': await request(agent, 'logs-follow', 'GET', `/containers/${id}/logs?stdout=1&stderr=1&follow=1`, undefined, 300 + Math.random() * 700); break;
          case 'create': {
            const res = await request(agent, 'create', 'POST', `/containers/create?name=load-${opts.runId}-${n}-${seq++}`, {
              Image: image, Cmd: ['sh', '-c', 'echo started; exec sleep 600'], Labels: { 'berth.load': opts.runId },
              HostConfig: { NetworkMode: Math.random() < 0.2 ? 'bridge' : 'none' },
            });
            if (res?.status === 201) { const cid = JSON.parse(res.body).Id as string; own.push(cid); shared.add(cid); }
            break;
          }
          case 'start': await request(agent, 'start', 'POST', `/containers/${id}/start`); break;
          case 'stop': await request(agent, 'stop', 'POST', `/containers/${id}/stop?t=${Math.random() < 0.5 ? 0 : 1}`); break;
          case 'rm': {
            const res = await request(agent, 'rm', 'DELETE', `/containers/${id}?force=1`);
            if (res && (res.status === 204 || res.status === 404)) forget(id!);
            break;
          }
          case 'exec': {
            const c = await request(agent, 'exec-create', 'POST', `/containers/${id}/exec`, { AttachStdout: true, AttachStderr: true, Cmd: ['echo', `exec-${n}`] });
            if (c?.status !== 201) break;
            const s = await request(agent, 'exec-start', 'POST', `/exec/${JSON.parse(c.body).Id}/start`, { Detach: false, Tty: false });
            // The stream is multiplexed: an 8-byte header, then the line. A container stopped
            // meanwhile may end the stream early, so a mismatch is counted, not failed.
            if (s?.status === 200 && !s.body.includes(`exec-${n}\n`)) report.execOutputMismatch++;
            break;
          }
        }
      }
    } finally {
      agent.destroy();
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.clients }, (_, n) => client(n)));
  } finally {
    clearInterval(watchdog);
  }
  return report;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The figures as a table: per endpoint and overall, count, statuses and p50/p95/p99/max in ms. */
export function formatReport(r: LoadReport): string {
  const row = (name: string, lat: number[], statuses: Map<number, number>) => {
    const s = [...lat].sort((a, b) => a - b);
    const st = [...statuses].sort(([a], [b]) => a - b).map(([k, v]) => `${k || 'err'}:${v}`).join(' ');
    return [name.padEnd(12), String(lat.length).padStart(7), ...[50, 95, 99].map((p) => percentile(s, p).toFixed(1).padStart(8)),
      (s[s.length - 1] ?? 0).toFixed(1).padStart(8), ` ${st}`].join(' ');
  };
  const all: number[] = [];
  const allStatuses = new Map<number, number>();
  const lines = [`${'endpoint'.padEnd(12)} ${'count'.padStart(7)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}  statuses`];
  for (const [ep, s] of [...r.endpoints].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(row(ep, s.latencies, s.statuses));
    all.push(...s.latencies);
    for (const [k, v] of s.statuses) allStatuses.set(k, (allStatuses.get(k) ?? 0) + v);
  }
  lines.push(row('overall', all, allStatuses));
  lines.push(`${r.total} requests in ${(r.durationMs / 1000).toFixed(0)} s (${(r.total / (r.durationMs / 1000)).toFixed(0)}/s); exec output cut short: ${r.execOutputMismatch}`);
  for (const [m, n] of [...r.messages].sort(([, a], [, b]) => b - a)) lines.push(`  ${String(n).padStart(6)} x ${m}`);
  return lines.join('\n');
}

/** Removes what a run left (its label) and returns how many containers are still there. */
export async function cleanupLoad(api: (method: string, path: string) => Promise<{ status: number; json?: any }>, runId: string): Promise<number> {
  const filter = encodeURIComponent(JSON.stringify({ label: [`berth.load=${runId}`] }));
  const list = await api('GET', `/containers/json?all=1&filters=${filter}`);
  const ids: string[] = (list.json ?? []).map((c: { Id: string }) => c.Id);
  for (let i = 0; i < ids.length; i += 16) await Promise.all(ids.slice(i, i + 16).map((id) => api('DELETE', `/containers/${id}?force=1`)));
  return ((await api('GET', `/containers/json?all=1&filters=${filter}`)).json ?? []).length;
}

/** How many mounts (rootfs overlays, netns, shm) lie under these dirs: what running containers hold. */
export async function mountsUnder(dirs: string[]): Promise<number> {
  return (await readFile('/proc/mounts', 'utf8')).split('\n').filter((l) => dirs.some((d) => l.split(' ')[1]?.startsWith(`${d}/`))).length;
}
