/**
 * Issue 5's scale target, through the docker CLI against each engine: 50 containers on one
 * user-defined network start, resolve each other by name, and are removed with no leak.
 *
 * Per engine, two cases of one iteration each (no warm-up: a cycle is 100 container
 * operations, and busybox is already present): "run" creates the network (untimed), times 50
 * × `run -d --network <net> --name <n> busybox sleep 600`, then (untimed) has every container
 * `ping -c1 -W1` the next one by name (busybox-static's wget crashes on name lookups, so no
 * wget/nslookup); "rm" times `rm -f` of all 50 plus `network rm` (setting them up untimed
 * first when the run case was filtered out by --only). For berthd, host state is snapshotted
 * before the network is created, after the 50 runs, and after everything is removed: links
 * (`ip -o link`), files in /run/berth/netns and nftables rules. The summary gives the counts
 * before and after and whether they are equal; as other processes may change host
 * networking meanwhile (tests with their own daemon, the Docker engine, other containers on
 * the same berthd), the leak verdict is on the items that appeared during the run and are
 * still there after removal.
 */
import { readdir } from 'node:fs/promises';
import type { Case } from './case';
import type { Row } from './stats';
import { runChecked, runTimed } from './timed';
import { attempt, Target } from './target';

const COUNT = 50;
const NETNS_DIR = '/run/berth/netns';
const HEAVY = { timeoutMs: 120_000 };

type Engine = 'berthd' | 'docker';
const caseName = (op: 'run' | 'rm', engine: Engine) =>
  op === 'run'
    ? `network: ${COUNT} x run -d on one network -> ${engine}`
    : `network: rm -f ${COUNT} + network rm -> ${engine}`;

/** Host networking state: link names, berth netns files, nft rules (family/table/chain/handle). */
interface HostState { links: string[]; netns: string[]; rules: string[] }

async function hostState(): Promise<HostState> {
  const links = (await runChecked('ip', ['-o', 'link'])).stdout
    .split('\n').filter(Boolean).map((l) => l.split(':')[1].trim().split('@')[0]);
  const netns = await readdir(NETNS_DIR).catch(() => [] as string[]);
  const nft = JSON.parse((await runChecked('nft', ['-j', 'list', 'ruleset'])).stdout) as { nftables: Record<string, any>[] };
  const rules = nft.nftables.filter((o) => o.rule).map(({ rule: r }) => `${r.family} ${r.table} ${r.chain} #${r.handle}`);
  return { links: links.sort(), netns: netns.sort(), rules: rules.sort() };
}

function diff(before: string[], after: string[]): string {
  const a = new Set(after);
  const b = new Set(before);
  const added = after.filter((x) => !b.has(x));
  const gone = before.filter((x) => !a.has(x));
  const show = (xs: string[]) => xs.slice(0, 5).join(', ') + (xs.length > 5 ? `, ... (${xs.length})` : '');
  return [added.length ? `+ ${show(added)}` : '', gone.length ? `- ${show(gone)}` : ''].filter(Boolean).join('; ');
}

interface EngineState {
  target: Target;
  net: string;
  names: string[];
  up: boolean;
  before?: HostState;
  during?: HostState;
  after?: HostState;
  /** The `rm -f` part of the rm case, kept apart in case `network rm` fails. */
  rmMs?: number;
  resolved?: { ok: number; failures: string[] };
}

export class NetworkScaleCases {
  private readonly engines = new Map<Engine, EngineState>();

  /** `sockets`: the engines to measure (docker only when it answers and has busybox). */
  constructor(tag: string, cli: string, sockets: Partial<Record<Engine, string>>) {
    for (const [engine, sock] of Object.entries(sockets) as [Engine, string][]) {
      const names = Array.from({ length: COUNT }, (_, n) => `${tag}-n${n}`);
      this.engines.set(engine, { target: new Target(cli, sock), net: `${tag}-scale`, names, up: false });
    }
  }

  cases(): Case[] {
    const out: Case[] = [];
    for (const [engine, s] of this.engines) {
      out.push({ name: caseName('run', engine), iterations: 1, iterate: (i) => (i < 0 ? Promise.resolve(0) : this.runAll(engine, s)) });
      out.push({ name: caseName('rm', engine), iterations: 1, iterate: (i) => (i < 0 ? Promise.resolve(0) : this.removeAll(engine, s)) });
    }
    return out;
  }

  /** Network create (untimed), 50 runs (timed), then the by-name ping check (untimed). */
  private async runAll(engine: Engine, s: EngineState): Promise<number> {
    if (s.up) await this.teardown(s);
    if (engine === 'berthd') s.before = await hostState();
    await s.target.cmd(['network', 'create', s.net]);
    s.up = true;
    const start = process.hrtime.bigint();
    for (const name of s.names) {
      await s.target.cmd(['run', '-d', '--network', s.net, '--name', name, 'busybox', 'sleep', '600'], HEAVY);
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const failures: string[] = [];
    for (const [n, name] of s.names.entries()) {
      const peer = s.names[(n + 1) % COUNT];
      const r = await runTimed(s.target.cli, ['exec', name, 'ping', '-c1', '-W1', peer], { env: s.target.env });
      if (r.code !== 0) failures.push(`${name} -> ${peer}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
    }
    s.resolved = { ok: COUNT - failures.length, failures };
    if (engine === 'berthd') s.during = await hostState();
    return ms;
  }

  /** rm -f of all containers and network rm, timed; the after-snapshot for berthd. */
  private async removeAll(engine: Engine, s: EngineState): Promise<number> {
    if (!s.up) await this.runAll(engine, s);
    const ms = await this.teardown(s);
    if (engine === 'berthd') s.after = await hostState();
    return ms;
  }

  private async teardown(s: EngineState): Promise<number> {
    const start = process.hrtime.bigint();
    await s.target.cmd(['rm', '-f', ...s.names], HEAVY);
    s.rmMs = Number(process.hrtime.bigint() - start) / 1e6;
    await s.target.cmd(['network', 'rm', s.net]);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    s.up = false;
    return ms;
  }

  /** Durations side by side with the berthd/docker ratio, the name-resolution and leak checks. */
  summary(rows: Row[]): string | undefined {
    const ms = (op: 'run' | 'rm', e: Engine) => {
      const r = rows.find((x) => x.name === caseName(op, e));
      return r && !r.error && r.samples.length ? r.samples[0] : undefined;
    };
    const lines: string[] = [];
    for (const op of ['run', 'rm'] as const) {
      const b = ms(op, 'berthd');
      const d = ms(op, 'docker');
      if (b === undefined && d === undefined) continue;
      const fig = (x?: number) => (x === undefined ? '-' : `${x.toFixed(0)} ms`);
      const ratio = b !== undefined && d !== undefined ? (b / d).toFixed(2) : '-';
      lines.push(`${caseName(op, 'berthd').replace(/ -> berthd$/, '')}: berthd ${fig(b)}, docker ${fig(d)}, berthd/docker ${ratio}`);
    }
    for (const [engine, s] of this.engines) {
      if (s.rmMs !== undefined) lines.push(`${engine}: the rm -f of ${COUNT} alone took ${s.rmMs.toFixed(0)} ms`);
    }
    for (const [engine, s] of this.engines) {
      if (s.resolved) {
        const f = s.resolved.failures;
        lines.push(`${engine}: ${s.resolved.ok}/${COUNT} containers pinged the next one by name${f.length ? ` (first failure: ${f[0]})` : ''}`);
      }
    }
    const { before, during, after } = this.engines.get('berthd') ?? {};
    if (before && during && after) {
      for (const k of ['links', 'netns', 'rules'] as const) {
        const d = diff(before[k], after[k]);
        const had = new Set(before[k]);
        const now = new Set(after[k]);
        const made = during[k].filter((x) => !had.has(x));
        const left = made.filter((x) => now.has(x));
        lines.push(`berthd leak check, ${k}: ${before[k].length} before, ${after[k].length} after: ${d ? `different (${d})` : 'equal'}; ` +
          `${made.length} appeared during the run, ${left.length ? `${left.length} LEFT (${left.slice(0, 5).join(', ')})` : 'none left'}`);
      }
    }
    return lines.length ? lines.map((l) => l + '\n').join('') : undefined;
  }

  async cleanup(): Promise<void> {
    for (const s of this.engines.values()) {
      if (!s.up) continue;
      await attempt(`remove containers ${s.names[0]}..`, () => s.target.cmd(['rm', '-f', ...s.names], HEAVY));
      await attempt(`remove network ${s.net}`, () => s.target.cmd(['network', 'rm', s.net]));
      s.up = false;
    }
  }
}
