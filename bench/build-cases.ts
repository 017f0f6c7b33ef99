/**
 * The build cases (issue 7's speed targets), each through the docker CLI against berthd and
 * against a Docker engine (its legacy builder: DOCKER_BUILDKIT=0, as Docker 20.10 builds
 * without BuildKit), and through the berth CLI against berthd:
 *
 * - cold: `build --no-cache` of a small multi-step Dockerfile (ENV, WORKDIR, COPY of 50
 *   files, two RUNs, one writing 20 MB, ARG, LABEL, EXPOSE, CMD); target <= 0.5 of Docker;
 * - cached: the same build again with nothing changed; target <= 1.0 of Docker;
 * - two stages: `build --no-cache` of two independent stages (each a 1 s RUN) and a final
 *   stage copying from both; berthd runs them side by side, Docker's legacy builder in turn.
 *
 * The contexts are written once per run. A cold iteration's image is removed (untimed) after
 * it, so each starts from the same store; `cleanup` removes the tags from every engine used.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Case } from './case';
import type { Pair } from './stats';
import { runTimed } from './timed';
import { attempt, type Target } from './target';
import type { ImageTarget } from './image-cases';

const SMALL = `FROM busybox
ENV APP_HOME=/app
WORKDIR /app
COPY files/ ./files/
ARG VERSION=1.0
RUN echo "building $VERSION" && ls files | wc -l > count
RUN dd if=/dev/zero of=/app/data bs=1M count=20 2>/dev/null
LABEL org.example.version=1.0
EXPOSE 8080
CMD ["sh"]
`;

const TWO_STAGES = `FROM busybox AS left
RUN sleep 1 && echo left > /left
FROM busybox AS right
RUN sleep 1 && echo right > /right
FROM busybox
COPY --from=left /left /left
COPY --from=right /right /right
`;

const OPS = {
  cold: 'build --no-cache (small, 10 steps)',
  cached: 'build (small, all cached)',
  stages: 'build --no-cache (2 independent stages)',
} as const;
type Op = keyof typeof OPS;

/** The ratio each case must meet (median berthd / median Docker). */
export const BUILD_TARGETS: Record<Op, number> = { cold: 0.5, cached: 1.0, stages: 0.5 };

const caseName = (cliName: string, op: Op, engine: string) => `${cliName} ${OPS[op]} -> ${engine}`;

export class BuildCases {
  private contexts?: Promise<{ small: string; stages: string }>;
  private readonly touched = new Map<string, Target>();

  /** `dir`: a temp dir for the contexts; `tag`: the repository the built images are tagged in. */
  constructor(private readonly dir: string, private readonly tag: string, private readonly iterations: number) {}

  cases(targets: ImageTarget[]): Case[] {
    const out: Case[] = [];
    for (const op of Object.keys(OPS) as Op[]) {
      for (const t of targets) {
        out.push({ name: caseName(t.cliName, op, t.engine), iterations: this.iterations, iterate: () => this.build(t, op) });
      }
    }
    return out;
  }

  /** Each berthd row against the docker CLI -> Docker engine row of the same build. */
  pairs(targets: ImageTarget[], op: Op): Pair[] {
    const ref = targets.find((t) => t.engine === 'docker' && t.cliName === 'docker');
    return targets.filter((t) => t.engine === 'berthd').map((t) => ({
      label: `${t.cliName} ${OPS[op]}`, subject: caseName(t.cliName, op, t.engine), reference: ref ? caseName('docker', op, 'docker') : undefined,
    }));
  }

  get ops(): Op[] { return Object.keys(OPS) as Op[]; }

  private made(): Promise<{ small: string; stages: string }> {
    this.contexts ??= (async () => {
      const small = join(this.dir, 'build-small');
      await mkdir(join(small, 'files'), { recursive: true });
      await writeFile(join(small, 'Dockerfile'), SMALL);
      for (let i = 0; i < 50; i++) await writeFile(join(small, 'files', `f${i}.txt`), `file ${i}\n`.repeat(20));
      const stages = join(this.dir, 'build-stages');
      await mkdir(stages, { recursive: true });
      await writeFile(join(stages, 'Dockerfile'), TWO_STAGES);
      return { small, stages };
    })();
    return this.contexts;
  }

  private imageTag(t: ImageTarget, op: Op): string {
    return `${this.tag}-build/${t.cliName}-${op}:latest`;
  }

  private async build(t: ImageTarget, op: Op): Promise<number> {
    const ctx = await this.made();
    this.touched.set(`${t.target.socketPath} ${t.target.cli}`, t.target);
    const tag = this.imageTag(t, op);
    const env = { ...t.target.env, DOCKER_BUILDKIT: '0' };
    const args = ['build', '-q', '-t', tag, ...(op === 'cached' ? [] : ['--no-cache']), op === 'stages' ? ctx.stages : ctx.small];
    const before = new Set(await dangling(t.target));
    // the cached case's warm-up makes what its iterations find in the cache
    const res = await runTimed(t.target.cli, args, { env, timeoutMs: 120_000 });
    if (res.code !== 0) throw new Error(`${t.target.cli} ${args.join(' ')}: ${res.stderr.trim().split('\n').pop()}`);
    // a cold build's image goes, with the untagged steps under it and the other stages' images
    if (op !== 'cached') {
      await runTimed(t.target.cli, ['rmi', '-f', tag], { env: t.target.env });
      await removeDangling(t.target, before);
    }
    return res.ms;
  }

  async cleanup(targets: ImageTarget[]): Promise<void> {
    for (const t of targets) {
      if (![...this.touched.values()].includes(t.target)) continue;
      for (const op of this.ops) {
        await attempt(`remove image ${this.imageTag(t, op)} from ${t.target.socketPath}`, () => runTimed(t.target.cli, ['rmi', '-f', this.imageTag(t, op)], { env: t.target.env }));
      }
    }
  }
}

/** The engine's dangling images (untagged heads). */
async function dangling(t: Target): Promise<string[]> {
  const r = await runTimed(t.cli, ['images', '-q', '--no-trunc', '--filter', 'dangling=true'], { env: t.env });
  return r.stdout.split('\n').filter(Boolean);
}

/** Removes the dangling images that were not there before (a build's stage images), and the parents that become dangling. */
async function removeDangling(t: Target, before: ReadonlySet<string>): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const ours = (await dangling(t)).filter((id) => !before.has(id));
    if (!ours.length) return;
    await runTimed(t.cli, ['rmi', ...ours], { env: t.env });
  }
}
