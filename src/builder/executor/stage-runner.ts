/**
 * One stage, as Docker's legacy builder prints it: `Step N/M : <instruction>` before each
 * instruction and ` ---> <image>` after it, the FROM line's image (after any ONBUILD triggers
 * of the base image ran), and the stage's image as an `aux` message at its end.
 */
import type { FromInstruction, Instruction, Stage } from '../dockerfile';
import { expandInstruction, parseInstructionText } from '../dockerfile';
import type { ImageConfig } from '../../core/images';
import { InvalidArgument, Unavailable } from '../../errdefs';
import type { BuildArgs } from './build-args';
import type { Lane } from './output';
import { stageConfig } from './run-config';
import { shortId, type StageImage, type StageState, type StepEnv } from './step';
import { dispatch } from './dispatch';

/** What every stage shares. */
export interface StageContext {
  env: Omit<StepEnv, 'state' | 'out' | 'stageIndex'>;
  args: BuildArgs;
  total: number;
  /** The stage a FROM names, when it is an earlier stage. */
  fromStage(name: string, current: number): Promise<StageImage> | undefined;
}

/** A failure and the instruction it happened at. */
export class StepFailure extends Error {
  constructor(readonly error: unknown, readonly instr: Pick<Instruction, 'line' | 'endLine'> | undefined, readonly lane: Lane) {
    super((error as Error)?.message ?? String(error));
  }
}

function scratchImage(env: StageContext['env']): ImageConfig {
  const p = env.backend.platform;
  return { architecture: p.architecture, os: p.os, ...(p.variant ? { variant: p.variant } : {}), config: {}, rootfs: { type: 'layers', diff_ids: [] }, history: [] };
}

async function baseImage(ctx: StageContext, stage: Stage, from: FromInstruction, index: number): Promise<{ id?: string; config: ImageConfig }> {
  const name = from.image;
  if (!name) throw new InvalidArgument(`base name (${stage.baseName}) should not be blank`);
  const earlier = ctx.fromStage(name, index);
  if (earlier) return earlier;
  if (name.toLowerCase() === 'scratch') return { config: scratchImage(ctx.env) };
  return ctx.env.backend.image(name);
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Unavailable('Build cancelled');
}

/** Runs stage `index`; step numbers start at `firstStep`. */
export async function runStage(ctx: StageContext, stage: Stage, index: number, firstStep: number, lane: Lane, extra: Instruction[]): Promise<StageImage | undefined> {
  let step = firstStep;
  const header = (original: string) => { lane.stream(`Step ${step++}/${ctx.total} : ${original}`); lane.stream('\n'); };
  let current: Instruction | undefined = stage.from;
  try {
    header(stage.from.original);
    const meta = ctx.args.metaValues();
    const from = expandInstruction(stage.from, (n) => meta.get(n), { escapeToken: ctx.env.escapeToken }) as FromInstruction;
    const base = await baseImage(ctx, stage, from, index);
    const state: StageState = {
      imageId: base.id, image: base.config, config: stageConfig(base.config.config), cmdSet: false, args: ctx.args.forStage(),
    };
    const env: StepEnv = { ...ctx.env, state, out: lane, stageIndex: index };
    const triggers = state.config.OnBuild ?? [];
    if (triggers.length) {
      state.config.OnBuild = null;
      lane.stream(`# Executing ${triggers.length} build trigger${triggers.length > 1 ? 's' : ''}\n`);
      for (const t of triggers) {
        checkCancelled(ctx.env.signal);
        state.config.Image = state.imageId ?? '';
        await dispatch(env, parseInstructionText(t));
      }
    }
    state.config.Image = state.imageId ?? '';
    lane.stream(` ---> ${shortId(state.imageId ?? '')}\n`);
    for (const instr of [...stage.commands, ...extra]) {
      current = instr;
      checkCancelled(ctx.env.signal);
      header(instr.original);
      await dispatch(env, instr);
      state.config.Image = state.imageId ?? '';
      lane.stream(` ---> ${shortId(state.imageId ?? '')}\n`);
    }
    if (state.imageId) lane.aux(state.imageId);
    lane.close();
    return state.imageId ? { id: state.imageId, config: state.image } : undefined;
  } catch (err) {
    // the lane stays open: the build reports the failure before any later stage's output
    throw new StepFailure(err, current, lane);
  }
}
