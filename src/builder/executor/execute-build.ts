/**
 * A whole build: the meta ARGs, then the stages the target needs, each started at once and
 * waiting only for the stages it names (so independent stages run in parallel), their output
 * kept in stage order. A failure stops the other stages and is reported after the failing
 * stage's output, with the Dockerfile lines of the instruction (as BuildKit shows them).
 */
import type { Dockerfile, Instruction, LabelInstruction } from '../dockerfile';
import { expandInstruction } from '../dockerfile';
import { Conflict, InvalidArgument } from '../../errdefs';
import type { BuildBackend, BuildCache } from './backend';
import { BuildArgs } from './build-args';
import { OrderedOutput, type BuildOutput, type Lane } from './output';
import { planStages, stageIndexOf } from './stage-plan';
import { runStage, StepFailure, type StageContext } from './stage-runner';
import type { StageImage, StageLookup } from './step';
import { NO_EXPAND } from './dispatch';
import { SourceHasher } from './copy/source-hash';
import type { SourceFs } from './copy/source-fs';
import { sourceSnippet } from './source-snippet';

export interface BuildRequest {
  dockerfile: Dockerfile;
  /** The Dockerfile's text and its name, for the lines shown with an error. */
  dockerfileText: string;
  dockerfileName: string;
  /** The build context. */
  context: SourceFs;
  /** A directory the build may use for downloads and temporary files. */
  scratchDir: string;
  /** `--build-arg`: null for a name given without a value. */
  buildArgs: ReadonlyMap<string, string | null>;
  target?: string;
  noCache: boolean;
  /** `--label`: added to the target stage as LABEL steps. */
  labels: Record<string, string>;
  networkMode?: string;
  extraHosts: string[];
  /** `--platform` (TARGETPLATFORM); the engine's own platform otherwise. */
  platform?: string;
  removeContainers: boolean;
  /** `--cache-from`: images whose steps may be reused. */
  cacheFrom?: string[];
  signal?: AbortSignal;
}

export interface BuildDeps {
  backend: BuildBackend;
  cache: BuildCache;
  output: BuildOutput;
}

/** BuildKit's automatic platform ARGs, visible before the first FROM. */
function platformArgs(args: BuildArgs, backend: BuildBackend, target: string | undefined): void {
  const p = backend.platform;
  const build = `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
  const [tos, tarch, tvariant] = (target || build).split('/');
  const set: Record<string, string> = {
    BUILDPLATFORM: build, BUILDOS: p.os, BUILDARCH: p.architecture, BUILDVARIANT: p.variant ?? '',
    TARGETPLATFORM: target || build, TARGETOS: tos, TARGETARCH: tarch ?? '', TARGETVARIANT: tvariant ?? '',
  };
  for (const [k, v] of Object.entries(set)) args.setAutomatic(k, v);
}

function labelInstructions(labels: Record<string, string>): Instruction[] {
  return Object.keys(labels).sort().map((key) => {
    const i: LabelInstruction = { kind: 'label', pairs: [{ key, value: labels[key] }], original: `LABEL ${key}=${labels[key]}`, line: 0, endLine: 0 };
    NO_EXPAND.add(i);
    return i;
  });
}

/** Runs the build; resolves with the target stage's image ID. Errors are thrown after their output. */
export async function executeBuild(req: BuildRequest, deps: BuildDeps): Promise<{ imageId: string }> {
  const df = req.dockerfile;
  const abort = new AbortController();
  const onAbort = () => abort.abort(req.signal?.reason);
  req.signal?.addEventListener('abort', onAbort, { once: true });
  const out = new OrderedOutput(deps.output);
  const args = new BuildArgs(req.buildArgs);
  platformArgs(args, deps.backend, req.platform);

  const labels = labelInstructions(req.labels);
  const meta = args.metaValues();
  const plan = planStages(df, req.target, (n) => meta.get(n), labels.length);
  const head = out.lane();
  let step = 1;
  for (const a of df.metaArgs) {
    head.stream(`Step ${step++}/${plan.total} : ${a.original}`);
    head.stream('\n');
    const allowed = args.allowedValues();
    const x = expandInstruction(a, (n) => allowed.get(n), { escapeToken: df.escapeToken });
    if (x.kind !== 'arg') continue;
    for (const d of x.args) args.addMetaArg(d.key, d.value);
  }
  head.close();

  const running = new Map<number, Promise<StageImage | undefined>>();
  const lanes = new Map<number, Lane>(plan.stages.map((i) => [i, out.lane()]));
  let nextStep = plan.total + 1;
  let firstFailure: StepFailure | undefined;

  /** Starts stage i once; a stage the plan did not see coming (a --from only known at build time) gets a lane and steps after the others. */
  function start(i: number): Promise<StageImage | undefined> {
    let p = running.get(i);
    if (p) return p;
    let lane = lanes.get(i);
    if (!lane) { lane = out.lane(); lanes.set(i, lane); }
    const first = plan.firstStep.get(i) ?? nextStep;
    if (!plan.firstStep.has(i)) nextStep += 1 + df.stages[i].commands.length;
    p = runStage(ctx, df.stages[i], i, first, lane, i === plan.target ? labels : []);
    // the first failure is the one to report: the others are the stages it stopped
    p.catch((err) => { firstFailure ??= err as StepFailure; abort.abort(); });
    running.set(i, p);
    return p;
  }

  async function stageImage(i: number, ref: string): Promise<StageImage> {
    const img = await start(i).catch((err) => { throw new Conflict(`stage ${ref} failed`, { cause: err }); });
    if (!img) throw new InvalidArgument(`stage ${ref} produced no image`);
    return img;
  }

  const stages: StageLookup = {
    resolve: async (ref, current) => {
      if (/^\d+$/.test(ref) && !df.stages.some((s, idx) => idx < current && s.name === ref.toLowerCase())) {
        const n = Number(ref);
        if (n === current) throw new InvalidArgument('refers to current build stage');
        if (n > current) throw new InvalidArgument('index out of bounds');
      }
      const i = stageIndexOf(df, ref, current, true);
      return i === undefined ? deps.backend.image(ref) : stageImage(i, ref);
    },
  };
  const ctx: StageContext = {
    env: {
      backend: deps.backend, cache: deps.cache, noCache: req.noCache, stages,
      cacheFrom: req.cacheFrom?.length ? deps.backend.lineage(req.cacheFrom) : [],
      context: { fs: req.context, scratch: req.scratchDir, hasher: new SourceHasher(req.context) },
      escapeToken: df.escapeToken, removeContainers: req.removeContainers, networkMode: req.networkMode,
      extraHosts: req.extraHosts, signal: abort.signal,
    },
    args, total: plan.total,
    fromStage: (name, current) => {
      const i = stageIndexOf(df, name, current, false);
      return i === undefined ? undefined : stageImage(i, name);
    },
  };

  try {
    for (const i of plan.stages) void start(i);
    // stages started late (by a --from only known at build time) are waited for too
    for (let n = 0; n !== running.size;) {
      n = running.size;
      await Promise.allSettled([...running.values()]);
    }
    if (firstFailure) throw firstFailure;
    const unused = args.unused();
    if (unused.length) deps.output.stream(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`);
    const target = await running.get(plan.target)!;
    if (!target) throw new InvalidArgument('No image was generated. Is your Dockerfile empty?');
    return { imageId: target.id };
  } catch (err) {
    if (!(err instanceof StepFailure)) throw err;
    out.flushThrough(err.lane);
    if (err.instr && err.instr.line > 0) err.lane.stream(sourceSnippet(req.dockerfileName, req.dockerfileText, err.instr));
    throw err.error;
  } finally {
    req.signal?.removeEventListener('abort', onAbort);
  }
}
