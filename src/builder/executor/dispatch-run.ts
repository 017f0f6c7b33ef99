/**
 * RUN (Docker's dispatchRun, with BuildKit's heredocs, --mount and --network): the command
 * runs in a container over the stage's image with the stage's build args in its environment;
 * its changes become the step's layer. A non-zero exit fails the build with Docker's message
 * and the exit code.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunInstruction } from '../dockerfile';
import { BerthError, InvalidArgument } from '../../errdefs';
import type { ContainerConfig } from '../../core/images';
import type { BuildArgs } from './build-args';
import { cloneConfig, resolveCmdLine } from './run-config';
import { commitStep, probe, shortId, stepKey, type StepEnv } from './step';
import { prepareMounts } from './run-mounts';
import type { RunMountSpec } from './backend';

/** A RUN whose command exited non-zero: Docker's message, the code as the build's exit code. */
export class RunFailed extends BerthError {
  constructor(cmd: readonly string[], code: number) {
    super('INTERNAL', `The command '${cmd.join(' ')}' returned a non-zero code: ${code}`, { exitCode: code });
  }
}

/**
 * `|N K=V ...` in front of the command when build args are set (Docker's prependEnvOnCmd):
 * history shows them and a changed value misses the cache. Proxy args appear only if declared.
 */
function prependEnvOnCmd(args: BuildArgs, vars: readonly string[], cmd: readonly string[]): string[] {
  const kept = vars.filter((v) => args.isReferencedOrNotBuiltin(v.split('=', 1)[0])).sort();
  return [`|${kept.length}`, ...kept, ...cmd];
}

const HEREDOC_ONLY = /^\s*\d*<<-?\s*(["']?)([^\s"'<>|&;]+)\1\s*$/;

/** `<<-` heredocs lose their leading tabs. */
const chomp = (data: string) => data.replace(/^\t+/gm, '');

/** The command words after BuildKit's heredoc rules; `script` is a file to mount when the heredoc has a shebang. */
function heredocArgs(i: RunInstruction): { args: string[]; script?: { name: string; data: string } } {
  if (!i.heredocs.length) return { args: [...i.cmd] };
  if (!i.shell || i.cmd.length !== 1) throw new InvalidArgument(`parsing produced an invalid run command: ${JSON.stringify(i.cmd)}`);
  if (HEREDOC_ONLY.test(i.cmd[0])) {
    const f = i.heredocs[0];
    const data = f.chomp ? chomp(f.data) : f.data;
    if (data.startsWith('#!')) return { args: [`/dev/pipes/${f.name}`], script: { name: f.name, data } };
    return { args: [data] };
  }
  return { args: [i.cmd[0] + i.heredocs.map((f) => `\n${f.data}${f.name}`).join('')] };
}

export async function dispatchRun(env: StepEnv, i: RunInstruction): Promise<void> {
  const { state, backend } = env;
  const config = state.config;
  const { args, script } = heredocArgs(i);
  const cmd = resolveCmdLine(config, i.shell, args);
  const buildArgs = state.args.filterAllowed(config.Env ?? []);
  const saveCmd = buildArgs.length ? prependEnvOnCmd(state.args, buildArgs, cmd) : cmd;
  const probeConfig: ContainerConfig = { ...cloneConfig(config), Cmd: saveCmd };
  delete probeConfig.ArgsEscaped;
  if (saveCmd.length) probeConfig.Entrypoint = null;
  const network = i.network ?? env.networkMode;
  const prepared = await prepareMounts(env, i.mounts);
  try {
    const scriptHash = script && createHash('sha256').update(script.data).digest('hex');
    const key = stepKey(state, saveCmd, i.mounts.length || i.network || script ? { mounts: prepared.key, network: i.network, script: scriptHash } : undefined);
    if (probe(env, key, saveCmd)) return;
    const mounts: RunMountSpec[] = [...prepared.mounts];
    if (script) {
      const dir = await mkdtemp(join(env.context.scratch, 'heredoc-'));
      await writeFile(join(dir, script.name), script.data, { mode: 0o755 });
      mounts.push({ type: 'bind', source: join(dir, script.name), target: `/dev/pipes/${script.name}`, readOnly: true });
    }
    const runConfig: ContainerConfig = {
      ...cloneConfig(config), Cmd: cmd, Env: [...(config.Env ?? []), ...buildArgs],
      Entrypoint: saveCmd.length ? [''] : config.Entrypoint, Healthcheck: { Test: ['NONE'] },
    };
    delete runConfig.ArgsEscaped;
    if (!state.imageId) state.imageId = await backend.createImage(state.image);
    const outcome = await backend.run({
      imageId: state.imageId, config: runConfig, networkMode: network === 'default' ? env.networkMode : network,
      extraHosts: env.extraHosts, mounts, signal: env.signal,
      onCreated: (id) => env.out.stream(` ---> Running in ${shortId(id)}\n`),
      stdout: (b) => env.out.stream(b.toString('utf8')),
      stderr: (b) => env.out.stderr(b.toString('utf8')),
    });
    let ok = false;
    try {
      if (outcome.exitCode !== 0) throw new RunFailed(cmd, outcome.exitCode);
      const layer = await outcome.commit();
      await commitStep(env, { key, containerConfig: probeConfig, layer, containerId: outcome.containerId });
      ok = true;
    } finally {
      if (env.removeContainers) {
        await outcome.remove();
        if (ok) env.out.stream(`Removing intermediate container ${shortId(outcome.containerId)}\n`);
      }
    }
  } finally {
    await prepared.release();
  }
}
