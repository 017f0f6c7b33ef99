/**
 * Which stages a build runs: the target (the last stage unless `--target` names one) and the
 * earlier stages it needs through FROM <stage>, COPY --from and RUN --mount from=. The rest
 * are skipped. Step numbers (`Step N/M`) count the meta ARGs and the stages that run.
 */
import type { Dockerfile, EnvLookup, Stage } from '../dockerfile';
import { expand } from '../dockerfile';
import { InvalidArgument } from '../../errdefs';

export interface StagePlan {
  /** Indexes of the stages to run, ascending; the last is the target. */
  stages: number[];
  target: number;
  /** The first step number of each planned stage (its FROM line). */
  firstStep: Map<number, number>;
  /** M of `Step N/M`. */
  total: number;
}

/** The stage a name refers to from stage `current`: an earlier stage's name, or (numeric) its index. */
export function stageIndexOf(df: Dockerfile, ref: string, current: number, byIndex: boolean): number | undefined {
  const lower = ref.toLowerCase();
  for (let i = 0; i < current; i++) if (df.stages[i].name === lower) return i;
  if (byIndex && /^\d+$/.test(ref) && Number(ref) < current) return Number(ref);
  return undefined;
}

function safeExpand(word: string, lookup: EnvLookup, escapeToken: string): string {
  try { return expand(word, lookup, { escapeToken }); } catch { return word; }
}

/** The stages stage `index` names (best effort: `--from` words are expanded with the meta ARGs only). */
function dependencies(df: Dockerfile, index: number, lookup: EnvLookup): number[] {
  const s: Stage = df.stages[index];
  const deps: number[] = [];
  const add = (ref: string | undefined, byIndex: boolean) => {
    if (!ref) return;
    const i = stageIndexOf(df, safeExpand(ref, lookup, df.escapeToken), index, byIndex);
    if (i !== undefined) deps.push(i);
  };
  add(s.baseName, false);
  for (const c of s.commands) {
    if (c.kind === 'copy') add(c.from, true);
    if (c.kind === 'run') for (const m of c.mounts) add(m.from, true);
  }
  return deps;
}

export function planStages(df: Dockerfile, target: string | undefined, metaLookup: EnvLookup, extraSteps: number): StagePlan {
  if (!df.stages.length) throw new InvalidArgument('dockerfile contains no stages to build');
  let targetIndex = df.stages.length - 1;
  if (target) {
    const i = df.stages.findIndex((s) => s.name === target.toLowerCase());
    if (i < 0) throw new InvalidArgument(`failed to reach build target ${target} in Dockerfile`);
    targetIndex = i;
  }
  const needed = new Set<number>();
  const visit = (i: number) => {
    if (needed.has(i)) return;
    needed.add(i);
    for (const d of dependencies(df, i, metaLookup)) visit(d);
  };
  visit(targetIndex);
  const stages = [...needed].sort((a, b) => a - b);
  const firstStep = new Map<number, number>();
  let step = df.metaArgs.length + 1;
  for (const i of stages) {
    firstStep.set(i, step);
    step += 1 + df.stages[i].commands.length;
  }
  return { stages, target: targetIndex, firstStep, total: step - 1 + extraSteps };
}
