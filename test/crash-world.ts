/**
 * A berthd killed with SIGKILL at random points while containers run and others are created,
 * started, stopped, removed and committed (and, for the soak, pulled and built), then
 * restarted and checked: every running container still runs with its pid and is listed so,
 * exited ones carry their exit code, a counter's log has no gap, the published port answers,
 * the embedded DNS resolves, no record is unreadable and nothing half-made is visible.
 * Shared by test/integration/daemon-crash.test.ts and test/soak/daemon-kill.test.ts.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TestDaemon, run } from './harness';
import { freePort } from './local-registry';

/** The label the soak's Dockerfiles set: their untagged step images are build cache, not half-made. */
export const BUILD_CACHE_LABEL = 'crash.build';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HTTPD = 'mkdir -p /www && echo crash-web > /www/index.html && exec httpd -f -p 80 -h /www';
const COUNTER = 'i=0; while true; do echo $i; i=$((i+1)); sleep 0.1; done';

function httpGet(port: number): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (b) => { body += b; });
      res.on('end', () => resolve(body.trim()));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/** What one restart found and did. */
export interface RestartFigures { recoveryMs: number; rolledBack: number; completed: number; quarantined: number }

export interface WorldOptions {
  /** Extra long-running containers (the soak's fifty). */
  sleepers: number;
  /** Extra operations the burst may run besides create/start/stop/rm/commit. */
  extraOps?: Record<string, (w: CrashWorld) => Promise<unknown>>;
}

/** A container expected to exit by itself with code, maybe while berthd is down. */
interface Exiter { id: string; code: number }

export class CrashWorld {
  readonly d: TestDaemon;
  readonly net: string;
  port = 0;
  /** The containers that must run through every kill, with their pids. */
  private steady = new Map<string, number>();
  private exiters: Exiter[] = [];
  private seq = 0;
  private ops: Record<string, () => Promise<unknown>>;
  /** Image names a commit asked for and got an answer to (they must exist after any kill). */
  readonly committed: string[] = [];
  figures: RestartFigures[] = [];

  constructor(tag: string, private readonly o: WorldOptions) {
    this.d = new TestDaemon(tag);
    this.net = `crashnet${process.pid % 10000}`;
    this.ops = {
      create: () => this.create(),
      start: () => this.onPicked(['created', 'exited'], (id) => this.api('POST', `/containers/${id}/start`)),
      stop: () => this.onPicked(['running'], (id) => this.api('POST', `/containers/${id}/stop?t=1`)),
      rm: () => this.onPicked(['created', 'exited', 'running'], (id) => this.api('DELETE', `/containers/${id}?force=1`)),
      commit: () => this.commit(),
      ...Object.fromEntries(Object.entries(o.extraOps ?? {}).map(([k, f]) => [k, () => f(this)])),
    };
  }

  api(method: string, path: string, body?: unknown) { return this.d.api(method, path, body); }

  async setup(): Promise<void> {
    await this.d.start();
    this.port = await freePort();
    const ok = (r: { status: number; body: string }, what: string) => assert.ok(r.status < 300, `${what}: ${r.status} ${r.body}`);
    ok(await this.api('POST', '/networks/create', { Name: this.net }), 'network create');
    const runOn = async (name: string, cmd: string, extra: Record<string, unknown> = {}) => {
      const r = await this.api('POST', `/containers/create?name=${name}`, {
        Image: 'busybox', Cmd: ['sh', '-c', cmd], ...extra,
        HostConfig: { NetworkMode: this.net, ...(extra.HostConfig as object ?? {}) },
      });
      ok(r, `create ${name}`);
      ok(await this.api('POST', `/containers/${name}/start`), `start ${name}`);
      return r.json.Id as string;
    };
    await runOn('web', HTTPD, { ExposedPorts: { '80/tcp': {} }, HostConfig: { NetworkMode: this.net, PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(this.port) }] } } });
    await runOn('counter', COUNTER);
    await runOn('probe', 'exec sleep 100000');
    for (let i = 0; i < this.o.sleepers; i++) await runOn(`sleeper${i}`, 'exec sleep 100000');
    for (const name of ['web', 'counter', 'probe', ...Array.from({ length: this.o.sleepers }, (_, i) => `sleeper${i}`)]) {
      const r = await this.api('GET', `/containers/${name}/json`);
      this.steady.set(name, r.json.State.Pid);
    }
  }

  private async create(): Promise<unknown> {
    const name = `scratch${this.seq++}`;
    return this.api('POST', `/containers/create?name=${name}`, { Image: 'busybox', Cmd: ['sh', '-c', 'echo hi > /made; exec sleep 100000'] });
  }

  private async commit(): Promise<unknown> {
    const id = await this.pick(['created', 'exited', 'running']);
    if (!id) return undefined;
    const tag = `c${this.seq++}`;
    const r = await this.api('POST', `/commit?container=${id}&repo=crash-commit&tag=${tag}`);
    if (r.status === 201) this.committed.push(`crash-commit:${tag}`);
    return r;
  }

  private async onPicked(states: string[], fn: (id: string) => Promise<unknown>): Promise<unknown> {
    const id = await this.pick(states);
    return id ? fn(id) : undefined;
  }

  /** A scratch container in one of states, at random. */
  private async pick(states: string[]): Promise<string | undefined> {
    const r = await this.api('GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ name: ['scratch'] }))}`);
    const ids = ((r.json ?? []) as { Id: string; State: string }[]).filter((c) => states.includes(c.State)).map((c) => c.Id);
    return ids[Math.floor(Math.random() * ids.length)];
  }

  /** Containers that exit by themselves within a second or two: some while berthd is down. */
  private async startExiters(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const code = 1 + Math.floor(Math.random() * 100);
      const r = await this.api('POST', `/containers/create?name=exiter${this.seq++}`, { Image: 'busybox', Cmd: ['sh', '-c', `sleep 0.${1 + Math.floor(Math.random() * 9)}; exit ${code}`] });
      if (r.status !== 201) continue;
      this.exiters.push({ id: r.json.Id, code });
      await this.api('POST', `/containers/${r.json.Id}/start`);
    }
  }

  /**
   * One round: a burst of operations with `parallel` workers, berthd killed with SIGKILL after
   * a random delay under maxDelayMs, restarted, and every invariant checked.
   */
  async round(o: { parallel: number; maxDelayMs: number; exiters: number }): Promise<RestartFigures> {
    await this.startExiters(o.exiters);
    let stop = false;
    let killed!: () => void;
    // a response cut off by the kill may never settle: the workers stop waiting for it then
    const down = new Promise<void>((r) => { killed = r; });
    const names = Object.keys(this.ops);
    const workers = Array.from({ length: o.parallel }, async () => {
      while (!stop) {
        const op = this.ops[names[Math.floor(Math.random() * names.length)]];
        await Promise.race([op().catch(() => undefined), down]); // the daemon dies under it
      }
    });
    await sleep(50 + Math.random() * o.maxDelayMs);
    await this.d.kill('SIGKILL');
    stop = true;
    killed();
    await Promise.all(workers);
    const logFrom = this.d.log.length;
    const t0 = Date.now();
    await this.d.start();
    const startMs = Date.now() - t0;
    const since = this.d.log.slice(logFrom);
    const count = (action: string) => (since.match(new RegExp(`msg="${action} `, 'g')) ?? []).length;
    const restored = /msg="state restored" ms=(\d+)/.exec(since);
    const f: RestartFigures = {
      recoveryMs: restored ? Number(restored[1]) : startMs,
      rolledBack: count('rolled back'), completed: count('completed'), quarantined: count('quarantined'),
    };
    this.figures.push(f);
    await this.check();
    return f;
  }

  /** Every invariant, after a restart. */
  async check(): Promise<void> {
    const d = this.d;
    // records parse, nothing half-made on disk, nothing quarantined (kill -9 never corrupts)
    const root = join(d.dataRoot, 'containers');
    for (const name of await readdir(root)) {
      assert.match(name, /^[0-9a-f]{64}$/, `left in the container store: ${name}`);
      const files = await readdir(join(root, name));
      assert.ok(!files.some((f) => f.endsWith('.tmp')), `temp file left in ${name}: ${files.join(', ')}`);
      JSON.parse(await readFile(join(root, name, 'config.json'), 'utf8'));
    }
    assert.equal(await stat(join(d.dataRoot, 'quarantine')).then(() => true, () => false), false, 'something was quarantined after a kill -9');
    // exits while berthd was down are settled (asynchronously) right after the start
    let list: any[] = [];
    for (let i = 0; i < 50; i++) {
      list = (await d.api('GET', '/containers/json?all=1')).json;
      const runc = JSON.parse((await run('runc', ['--root', join(d.execRoot, 'runtime', 'runc'), 'list', '--format', 'json'])).stdout || '[]') as { id: string; status: string }[];
      const runtimeRunning = new Set(runc.filter((c) => c.status === 'running' || c.status === 'paused').map((c) => c.id));
      const listedRunning = new Set(list.filter((c) => c.State === 'running' || c.State === 'paused').map((c) => c.Id as string));
      if ([...listedRunning].every((id) => runtimeRunning.has(id)) && [...runtimeRunning].every((id) => listedRunning.has(id))) break;
      assert.ok(i < 49, `listed running ${[...listedRunning].length} and runtime running ${[...runtimeRunning].length} disagree`);
      await sleep(100);
    }
    const byName = new Map(list.map((c) => [String(c.Names[0]).slice(1), c]));
    for (const c of list) {
      const name = String(c.Names[0]).slice(1);
      assert.match(name, /^(web|counter|probe|sleeper\d+|scratch\d+|exiter\d+)$/, `a container nobody made is listed: ${name} (${c.State})`);
      const r = await d.api('GET', `/containers/${c.Id}/json`);
      assert.equal(r.status, 200, `inspect ${name}: ${r.body}`);
      const s = r.json.State;
      assert.equal(s.Status, c.State, `${name}: list says ${c.State}, inspect ${s.Status}`);
      assert.equal(s.Running, c.State === 'running' || c.State === 'paused', `${name}: ${c.State} but Running is ${s.Running}`);
      // a commit's pause ends with the commit, or with its rollback at the restart
      assert.notEqual(c.State, 'paused', `${name} is left paused`);
      if (s.Running) assert.doesNotThrow(() => process.kill(s.Pid, 0), `${name} is listed running but pid ${s.Pid} is gone`);
    }
    for (const [name, pid] of this.steady) {
      const c = byName.get(name);
      assert.ok(c && c.State === 'running', `${name} is not running after the restart: ${c?.State}`);
      const r = await d.api('GET', `/containers/${name}/json`);
      assert.equal(r.json.State.Pid, pid, `${name} was restarted (pid ${pid} -> ${r.json.State.Pid})`);
    }
    for (const e of this.exiters) {
      const r = await d.api('GET', `/containers/${e.id}/json`);
      if (r.status === 404) continue; // removed by the burst
      if (r.json.State.Status === 'exited') assert.equal(r.json.State.ExitCode, e.code, `exiter ${e.id.slice(0, 12)} exit code`);
    }
    // the counter's log: every number from 0, none missing, none twice
    const logs = await d.cli(['logs', 'counter']);
    const nums = logs.stdout.trim().split('\n').map(Number);
    nums.forEach((n, i) => assert.equal(n, i, `counter log has a gap or repeat at line ${i}: ${nums.slice(Math.max(0, i - 2), i + 3).join(',')}`));
    // the published port, and the embedded DNS from another container
    let body = '';
    for (let i = 0; i < 30 && body !== 'crash-web'; i++) { body = await httpGet(this.port); if (body !== 'crash-web') await sleep(100); }
    assert.equal(body, 'crash-web', `published port ${this.port} after the restart`);
    const webIp = (await d.api('GET', '/containers/web/json')).json.NetworkSettings.Networks[this.net].IPAddress;
    const ns = await d.cli(['exec', 'probe', 'nslookup', 'web']);
    assert.ok(ns.stdout.includes(webIp), `nslookup web from probe: ${ns.stdout}${ns.stderr}`);
    // images: nothing dangling, every commit that answered is there and whole
    const dangling = (await d.api('GET', `/images/json?filters=${encodeURIComponent(JSON.stringify({ dangling: ['true'] }))}`)).json as { Id: string; Labels?: Record<string, string> | null }[];
    // a build cut short keeps the images of its finished steps as build cache, as Docker's does
    const halfMade = dangling.filter((i) => !i.Labels?.[BUILD_CACHE_LABEL]);
    assert.deepEqual(halfMade, [], `dangling images after the restart: ${JSON.stringify(halfMade)}`);
    for (const ref of this.committed) {
      const r = await d.api('GET', `/images/${ref}/history`);
      assert.equal(r.status, 200, `committed image ${ref}: ${r.body}`);
    }
  }

  /** Median and 99th percentile of the recovery times. */
  summary(): { iterations: number; p50: number; p99: number; rolledBack: number; completed: number; quarantined: number } {
    const ms = this.figures.map((f) => f.recoveryMs).sort((a, b) => a - b);
    const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] ?? 0;
    const sum = (k: keyof RestartFigures) => this.figures.reduce((a, f) => a + f[k], 0);
    return { iterations: ms.length, p50: q(0.5), p99: q(0.99), rolledBack: sum('rolledBack'), completed: sum('completed'), quarantined: sum('quarantined') };
  }

  async teardown(): Promise<void> {
    await this.d.stop();
  }
}
