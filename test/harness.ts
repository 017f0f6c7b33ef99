import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import http from 'node:http';

/** The repo root, from dist/test/harness.js. */
export const REPO = resolve(__dirname, '..', '..');
export const BERTH = join(REPO, 'bin', 'berth');
export const BERTHD = join(REPO, 'bin', 'berthd');

export interface RunResult { code: number; stdout: string; stderr: string }

export function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => { p.kill('SIGKILL'); rej(new Error(`${cmd} ${args.join(' ')} timed out`)); }, opts.timeoutMs ?? 60_000);
    p.stdout.on('data', (b) => { stdout += b; });
    p.stderr.on('data', (b) => { stderr += b; });
    p.on('error', rej);
    p.on('close', (code) => { clearTimeout(timer); res({ code: code ?? -1, stdout, stderr }); });
    p.stdin.on('error', () => {});
    p.stdin.end(opts.input ?? '');
  });
}

export interface ApiResponse { status: number; headers: http.IncomingHttpHeaders; body: string; json?: any }


/** The bridge of every network recorded under dataRoot (none when it has no network records). */
async function networkBridges(dataRoot: string): Promise<string[]> {
  const dir = join(dataRoot, 'network', 'networks');
  const names = await readdir(dir).catch(() => [] as string[]);
  const bridges: string[] = [];
  for (const n of names.filter((f) => f.endsWith('.json'))) {
    const rec = await readFile(join(dir, n), 'utf8').then((t) => JSON.parse(t) as { driver?: string; bridge?: string }, () => undefined);
    if (rec?.driver === 'bridge' && rec.bridge) bridges.push(rec.bridge);
  }
  return bridges;
}

/**
 * A berthd of the test's own: its own data root, exec root, socket, bridge and nft table, so
 * it never touches a berthd the developer runs. `stop` removes all of it.
 */
export class TestDaemon {
  proc?: ChildProcess;
  dataRoot = '';
  execRoot = '';
  log = '';
  readonly bridge: string;

  /** `extraArgs` go to berthd after the harness's own (e.g. another -H with its TLS flags). */
  constructor(readonly tag: string, readonly extraArgs: string[] = []) {
    this.bridge = `bt${tag}${process.pid % 10000}`.slice(0, 15);
  }

  get socket() { return join(this.execRoot, 'berth.sock'); }
  get host() { return `unix://${this.socket}`; }

  async start(): Promise<void> {
    // A dataRoot set before the first start (an existing, empty dir: a small tmpfs) is used as is.
    if (!this.execRoot) {
      this.dataRoot ||= await mkdtemp(join(tmpdir(), `berth-${this.tag}-data-`));
      this.execRoot = await mkdtemp(join('/run', `berth-${this.tag}-`));
      await writeFile(join(this.dataRoot, 'daemon.json'), '{}');
    }
    this.proc = spawn(process.execPath, [BERTHD, '-H', this.host, '--data-root', this.dataRoot, '--exec-root', this.execRoot, '--bridge', this.bridge, '--config-file', join(this.dataRoot, 'daemon.json'), ...this.extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (b) => { this.log += b; });
    this.proc.stderr!.on('data', (b) => { this.log += b; });
    for (let i = 0; i < 200; i++) {
      if (this.proc.exitCode !== null) throw new Error(`berthd exited: ${this.log}`);
      try { if ((await this.api('GET', '/_ping')).status === 200) return; } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`berthd did not answer: ${this.log}`);
  }

  /** Ends the daemon with the given signal and waits for it; containers keep running. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((r) => { p.once('exit', () => r()); p.kill(signal); });
  }

  /** Removes every container, stops the daemon, and deletes its dirs, bridge and nft table. */
  async stop(): Promise<void> {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      const list = await this.api('GET', '/containers/json?all=1').catch(() => undefined);
      for (const c of list?.json ?? []) await this.api('DELETE', `/containers/${c.Id}?force=1`).catch(() => {});
      await this.api('POST', '/networks/prune').catch(() => {});
    }
    await this.kill('SIGTERM');
    // A daemon that logged errors shows them with the test's output, for CI to keep.
    if (/level=(error|fatal)/.test(this.log)) process.stderr.write(`berthd (${this.tag}) logged errors:\n${this.log.split('\n').slice(-40).join('\n')}\n`);
    await run('sh', ['-c', `for m in $(awk '{print $2}' /proc/mounts | grep -E '^(${this.dataRoot}|${this.execRoot})' | sort -r); do umount -l "$m"; done`]);
    await run('ip', ['link', 'del', this.bridge]);
    // Bridges of user networks the prune above could not reach (a daemon a test killed, or one
    // that would not answer): named in the network records, which go with the data root.
    for (const bridge of await networkBridges(this.dataRoot)) await run('ip', ['link', 'del', bridge]);
    await run('nft', ['delete', 'table', 'ip', `berth-${this.bridge}`]);
    // The daemon's accepts in Docker's iptables FORWARD chain, tagged with its table's name.
    const tag = `berth:berth-${this.bridge}`;
    const ours = (await run('iptables', ['-w', '-S', 'FORWARD'])).stdout.split('\n').filter((l) => l.startsWith('-A ') && l.includes(`"${tag}"`));
    if (ours.length) await run('iptables-restore', ['-w', '--noflush'], { input: ['*filter', ...ours.map((l) => l.replace(/^-A /, '-D ')), 'COMMIT', ''].join('\n') });
    for (const d of [this.dataRoot, this.execRoot]) if (d) await rm(d, { recursive: true, force: true });
  }

  api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return new Promise((res, rej) => {
      const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = http.request({ socketPath: this.socket, method, path, headers: { ...(data ? { 'Content-Type': 'application/json' } : {}), ...headers } }, (r) => {
        let text = '';
        r.on('data', (b) => { text += b; });
        r.on('end', () => {
          let json: unknown;
          try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
          res({ status: r.statusCode ?? 0, headers: r.headers, body: text, json });
        });
      });
      req.on('error', rej);
      req.end(data);
    });
  }

  /** Runs the berth CLI against this daemon. */
  cli(args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
    return run(process.execPath, [BERTH, '-H', this.host, ...args], opts);
  }

  async file(rel: string): Promise<string> { return readFile(join(this.dataRoot, rel), 'utf8'); }
}
