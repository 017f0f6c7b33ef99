/**
 * The compose case (issue 10's target): `up -d` of a 5-service project (busybox, no build;
 * one network, one named volume, a published port on one service) followed by `down -v`,
 * timed together as one iteration. Run by `berth compose` against berthd and by Debian's
 * `docker-compose` (1.29) against berthd and against the Docker engine; the issue compares
 * berth compose -> berthd with docker-compose -> Docker (at most half its time).
 *
 * Services run with `init: true`, so `down` stops them at once instead of waiting out the
 * stop timeout of a `sleep` that ignores SIGTERM as PID 1. Each target gets its own project
 * name and host port. cleanup runs `down -v` for every project a case touched.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Case } from './case';
import type { Pair } from './stats';
import { runChecked } from './timed';
import { attempt } from './target';

/** The target: berth compose -> berthd at most half of docker-compose -> Docker. */
export const COMPOSE_TARGET = 0.5;
const DOCKER_COMPOSE = '/usr/bin/docker-compose';
const SERVICES = 5;
/** Host ports published by the first service, one per target so a leftover cannot collide. */
const BASE_PORT = 18480;

interface ComposeTarget {
  /** The case's name. */
  name: string;
  /** The command and its leading arguments (`berth compose`, `docker-compose`). */
  argv: string[];
  socketPath: string;
  engine: 'berthd' | 'docker';
  project: string;
  dir: string;
}

function composeFile(port: number): string {
  const services = Array.from({ length: SERVICES }, (_, i) => {
    const extra = i === 0 ? `    ports: ["${port}:80"]\n    volumes: [data:/data]\n` : '';
    return `  s${i + 1}:\n    image: busybox\n    command: sleep 600\n    init: true\n    networks: [net]\n${extra}`;
  });
  return `version: "3.7"\nservices:\n${services.join('')}networks:\n  net: {}\nvolumes:\n  data: {}\n`;
}

export class ComposeCases {
  private readonly targets: ComposeTarget[] = [];
  private readonly touched = new Set<ComposeTarget>();

  /** `berth` is the berth CLI (undefined when absent); `dockerSock` the Docker engine, when it answers. */
  constructor(dir: string, tag: string, berth: string | undefined, berthSock: string | undefined, dockerSock: string | undefined) {
    const add = (name: string, argv: string[], socketPath: string, engine: ComposeTarget['engine']) => {
      const k = this.targets.length;
      this.targets.push({ name, argv, socketPath, engine, project: `${tag}-compose${k}`, dir: join(dir, 'compose', String(k)) });
    };
    if (berth && berthSock) add('berth compose up -d + down (5 services) -> berthd', [berth, 'compose'], berthSock, 'berthd');
    if (existsSync(DOCKER_COMPOSE)) {
      if (berthSock) add('docker-compose up -d + down (5 services) -> berthd', [DOCKER_COMPOSE], berthSock, 'berthd');
      if (dockerSock) add('docker-compose up -d + down (5 services) -> docker', [DOCKER_COMPOSE], dockerSock, 'docker');
    }
  }

  /** The names of the cases, in order. */
  get names(): string[] {
    return this.targets.map((t) => t.name);
  }

  cases(): Case[] {
    return this.targets.map((t, k) => ({ name: t.name, iterate: (i: number) => this.upDown(t, BASE_PORT + k, i < 0) }));
  }

  /** berth compose -> berthd against docker-compose -> Docker. */
  pairs(): Pair[] {
    const subject = this.targets.find((t) => t.argv[0] !== DOCKER_COMPOSE);
    if (!subject) return [];
    const reference = this.targets.find((t) => t.argv[0] === DOCKER_COMPOSE && t.engine === 'docker');
    return [{ label: 'compose up -d + down, 5 services (berth compose vs docker-compose)', subject: subject.name, reference: reference?.name }];
  }

  private compose(t: ComposeTarget, args: string[]): Promise<number> {
    const env = { ...process.env, DOCKER_HOST: `unix://${t.socketPath}`, BERTH_HOST: `unix://${t.socketPath}` };
    return runChecked(t.argv[0], [...t.argv.slice(1), '-p', t.project, '-f', join(t.dir, 'compose.yaml'), ...args], { env, timeoutMs: 120_000 })
      .then((r) => r.ms);
  }

  private async upDown(t: ComposeTarget, port: number, warmup: boolean): Promise<number> {
    if (warmup) {
      await mkdir(t.dir, { recursive: true });
      await writeFile(join(t.dir, 'compose.yaml'), composeFile(port));
    }
    this.touched.add(t);
    return (await this.compose(t, ['up', '-d'])) + (await this.compose(t, ['down', '-v']));
  }

  async cleanup(): Promise<void> {
    for (const t of this.touched) await attempt(`remove compose project ${t.project}`, () => this.compose(t, ['down', '-v', '--remove-orphans']));
    this.touched.clear();
  }
}
