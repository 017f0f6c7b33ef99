/** One instruction of a stage: expanded with the stage's variables, then run by its dispatcher. */
import type { Instruction } from '../dockerfile';
import { expandInstruction } from '../dockerfile';
import { InvalidArgument } from '../../errdefs';
import type { StepEnv } from './step';
import { stageLookup } from './stage-env';
import {
  dispatchArg, dispatchCmd, dispatchEntrypoint, dispatchEnv, dispatchExpose, dispatchHealthcheck, dispatchLabel,
  dispatchMaintainer, dispatchOnbuild, dispatchShell, dispatchStopSignal, dispatchUser, dispatchVolume,
} from './dispatch-meta';
import { dispatchWorkdir } from './dispatch-workdir';
import { dispatchRun } from './dispatch-run';
import { dispatchCopy } from './dispatch-copy';

/** Instructions the build adds itself (`--label`): their values are never expanded. */
export const NO_EXPAND = new WeakSet<Instruction>();

export async function dispatch(env: StepEnv, instr: Instruction): Promise<void> {
  const i = NO_EXPAND.has(instr) ? instr : expandInstruction(instr, stageLookup(env.state), { escapeToken: env.escapeToken });
  switch (i.kind) {
    case 'env': return dispatchEnv(env, i);
    case 'label': return dispatchLabel(env, i);
    case 'maintainer': return dispatchMaintainer(env, i);
    case 'expose': return dispatchExpose(env, i);
    case 'user': return dispatchUser(env, i);
    case 'volume': return dispatchVolume(env, i);
    case 'stopsignal': return dispatchStopSignal(env, i);
    case 'arg': return dispatchArg(env, i);
    case 'shell': return dispatchShell(env, i);
    case 'cmd': return dispatchCmd(env, i);
    case 'entrypoint': return dispatchEntrypoint(env, i);
    case 'healthcheck': return dispatchHealthcheck(env, i);
    case 'onbuild': return dispatchOnbuild(env, i);
    case 'workdir': return dispatchWorkdir(env, i);
    case 'run': return dispatchRun(env, i);
    case 'copy':
    case 'add': return dispatchCopy(env, i);
    case 'from': throw new InvalidArgument('FROM is not allowed here');
  }
}
