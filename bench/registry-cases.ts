/**
 * The registry cases (issue 8's speed targets): `docker pull` of an image with one 200 MiB
 * layer of random data, `docker push` of it, and `docker pull` of a 10-layer image, through
 * the docker CLI against berthd and against the Docker engine, both talking to one Debian
 * `docker-registry` on 127.0.0.1 (plain HTTP: both engines treat loopback as insecure).
 *
 * berthd here is a private one (its own data root and socket, the current build), so the
 * developer's daemon is neither used nor restarted. Before every pull the image is removed
 * (untimed), so each pull downloads and unpacks everything; before every push the registry
 * restarts on empty storage, so each push uploads everything. `sync` runs untimed before
 * each timed command. cleanup stops the registry and the daemon and removes the images
 * from the Docker engine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import type { Case } from './case';
import type { Pair } from './stats';
import { runChecked } from './timed';
import { attempt, Target } from './target';
import { makeBigImage, makeLayeredImage, type ImageArchive } from './image-fixtures';
import { TestDaemon } from '../test/harness';

const HEAVY = { timeoutMs: 300_000 };
const OPS = {
  pullBig: 'pull (200 MiB, 1 layer)',
  pushBig: 'push (200 MiB, 1 layer)',
  pullLayered: 'pull (10 layers x 2 MiB)',
} as const;
type Op = keyof typeof OPS;
type Engine = 'berthd' | 'docker';

const caseName = (op: Op, engine: Engine) => `docker ${OPS[op]} -> ${engine}`;

interface Setup { reg: string; berthd: Target; big: ImageArchive; layered: ImageArchive }

export class RegistryCases {
  private setup?: Promise<Setup>;
  private registry?: ChildProcess;
  private daemon?: TestDaemon;
  private port = 0;
  private storage = 0;
  private readonly dir: string;
  private readonly touched = new Set<Target>();

  constructor(dir: string, private readonly prefix: string, private readonly iterations: number, private readonly dockerCli: string, private readonly dockerSock?: string) {
    this.dir = join(dir, 'registry');
  }

  cases(): Case[] {
    const engines: Engine[] = this.dockerSock ? ['berthd', 'docker'] : ['berthd'];
    const out: Case[] = [];
    for (const op of Object.keys(OPS) as Op[]) {
      for (const e of engines) out.push({ name: caseName(op, e), iterations: this.iterations, iterate: () => this.run(op, e) });
    }
    return out;
  }

  pairs(): Pair[] {
    return (Object.keys(OPS) as Op[]).map((op) => ({ label: `docker ${OPS[op]}`, subject: caseName(op, 'berthd'), reference: this.dockerSock ? caseName(op, 'docker') : undefined }));
  }

  private async startRegistry(): Promise<void> {
    if (this.registry) await this.stopRegistry();
    const storage = join(this.dir, `storage-${this.storage++}`);
    await rm(join(this.dir, `storage-${this.storage - 2}`), { recursive: true, force: true });
    const cfg = join(this.dir, 'config.yml');
    await writeFile(cfg, ['version: 0.1', 'log:', '  level: error', 'storage:', '  filesystem:', `    rootdirectory: ${storage}`, 'http:', `  addr: 127.0.0.1:${this.port}`, ''].join('\n'));
    this.registry = spawn('docker-registry', ['serve', cfg], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const ok = await new Promise<boolean>((r) => http.get(`http://127.0.0.1:${this.port}/v2/`, (res) => { res.resume(); r(res.statusCode === 200); }).once('error', () => r(false)));
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`docker-registry did not answer on 127.0.0.1:${this.port}`);
  }

  private async stopRegistry(): Promise<void> {
    const p = this.registry;
    this.registry = undefined;
    if (!p?.pid || p.exitCode !== null) return;
    await new Promise<void>((r) => { p.once('exit', () => r()); process.kill(p.pid!, 'SIGTERM'); });
  }

  private target(engine: Engine, s: Setup): Target {
    const t = engine === 'berthd' ? s.berthd : new Target(this.dockerCli, this.dockerSock!);
    this.touched.add(t);
    return t;
  }

  private prepare(): Promise<Setup> {
    this.setup ??= (async () => {
      process.stderr.write('(starting a registry and a private berthd, making images) ');
      await mkdir(this.dir, { recursive: true });
      this.port = await new Promise<number>((resolve, reject) => {
        const s = net.createServer();
        s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
        s.once('error', reject);
      });
      await this.startRegistry();
      this.daemon = new TestDaemon('rbench');
      await this.daemon.start();
      const reg = `127.0.0.1:${this.port}`;
      const big = await makeBigImage(this.dir, `${reg}/${this.prefix}/big:latest`);
      const layered = await makeLayeredImage(this.dir, `${reg}/${this.prefix}/layered:latest`, 10, 2 * 1024 * 1024);
      const berthd = new Target(this.dockerCli, this.daemon.socket);
      await this.publish({ reg, berthd, big, layered });
      return { reg, berthd, big, layered };
    })();
    return this.setup;
  }

  /** Loads the fixtures into the private berthd and pushes them, as the pull cases' source. */
  private async publish(s: Setup): Promise<void> {
    for (const fx of [s.big, s.layered]) {
      if (!(await imageId(s.berthd, fx.ref))) await s.berthd.cmd(['load', '-i', fx.path], HEAVY);
      await s.berthd.cmd(['push', fx.ref], HEAVY);
    }
  }

  private async run(op: Op, engine: Engine): Promise<number> {
    const s = await this.prepare();
    const t = this.target(engine, s);
    if (op === 'pushBig') {
      if ((await imageId(t, s.big.ref)) !== s.big.id) await t.cmd(['load', '-i', s.big.path], HEAVY);
      await this.startRegistry();
      await runChecked('sync', []);
      const ms = await t.cmd(['push', s.big.ref], HEAVY);
      return ms;
    }
    const fx = op === 'pullBig' ? s.big : s.layered;
    if (!(await this.hasManifest(fx.ref))) await this.publish(s);
    if (await imageId(t, fx.id)) await t.cmd(['rmi', '-f', fx.id], HEAVY);
    await runChecked('sync', []);
    const ms = await t.cmd(['pull', fx.ref], HEAVY);
    const id = await imageId(t, fx.ref);
    if (id !== fx.id) throw new Error(`pull ${fx.ref} on ${t.socketPath}: got ${id}, expected ${fx.id}`);
    return ms;
  }

  private hasManifest(ref: string): Promise<boolean> {
    const [repo, tag] = ref.slice(ref.indexOf('/') + 1).split(':');
    return new Promise((r) => http.request({ host: '127.0.0.1', port: this.port, method: 'HEAD', path: `/v2/${repo}/manifests/${tag}`, headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' } }, (res) => { res.resume(); r(res.statusCode === 200); }).once('error', () => r(false)).end());
  }

  async cleanup(): Promise<void> {
    const s = this.setup ? await this.setup.catch(() => undefined) : undefined;
    if (s) {
      for (const t of this.touched) {
        if (t === s.berthd) continue;
        for (const fx of [s.big, s.layered]) await attempt(`remove ${fx.ref} from ${t.socketPath}`, async () => { if (await imageId(t, fx.id)) await t.cmd(['rmi', '-f', fx.id], HEAVY); });
      }
    }
    await attempt('stop berthd (registry bench)', async () => { await this.daemon?.stop(); });
    await attempt('stop docker-registry', () => this.stopRegistry());
    await attempt(`remove ${this.dir}`, () => rm(this.dir, { recursive: true, force: true }));
  }
}

async function imageId(t: Target, ref: string): Promise<string | undefined> {
  const r = await runChecked(t.cli, ['image', 'inspect', '-f', '{{.Id}}', ref], { env: t.env }).catch(() => undefined);
  return r?.stdout.trim() || undefined;
}
