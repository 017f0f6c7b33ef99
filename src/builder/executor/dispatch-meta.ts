/**
 * The instructions that only change the image config (Docker's dispatchers.go): each makes an
 * image with an empty layer and a `#(nop)` history entry worded as Docker words it.
 */
import type {
  ArgInstruction, CmdInstruction, EntrypointInstruction, EnvInstruction, ExposeInstruction, HealthcheckInstruction,
  LabelInstruction, MaintainerInstruction, OnbuildInstruction, ShellInstruction, StopSignalInstruction,
  UserInstruction, VolumeInstruction,
} from '../dockerfile';
import { InvalidArgument } from '../../errdefs';
import { commitConfig, type StepEnv } from './step';
import { goQuote } from '../dockerfile/go-quote';
import { goList, goQuoteList, nopCmd, resolveCmdLine, setEnv } from './run-config';
import { exposedPorts } from './expose-ports';
import { checkSignal } from './signal';
import { goDuration } from '../../lib/go-duration-string';

const commit = (env: StepEnv, comment: string) => commitConfig(env, nopCmd(env.state.config, comment));

export function dispatchEnv(env: StepEnv, i: EnvInstruction): Promise<void> {
  let msg = 'ENV';
  for (const { key, value } of i.pairs) {
    const entry = `${key}=${value}`;
    msg += ` ${entry}`;
    env.state.config.Env = setEnv(env.state.config.Env, entry);
  }
  return commit(env, msg);
}

export function dispatchLabel(env: StepEnv, i: LabelInstruction): Promise<void> {
  let msg = 'LABEL';
  const labels = { ...(env.state.config.Labels ?? {}) };
  for (const { key, value } of i.pairs) {
    labels[key] = value;
    msg += ` ${key}=${value}`;
  }
  env.state.config.Labels = labels;
  return commit(env, msg);
}

export function dispatchMaintainer(env: StepEnv, i: MaintainerInstruction): Promise<void> {
  env.state.maintainer = i.maintainer;
  return commit(env, `MAINTAINER ${i.maintainer}`);
}

export function dispatchExpose(env: StepEnv, i: ExposeInstruction): Promise<void> {
  env.state.config.ExposedPorts = { ...(env.state.config.ExposedPorts ?? {}), ...exposedPorts(i.ports) };
  return commit(env, `EXPOSE ${i.ports.join(' ')}`);
}

export function dispatchUser(env: StepEnv, i: UserInstruction): Promise<void> {
  env.state.config.User = i.user;
  return commit(env, `USER ${i.user}`);
}

export function dispatchVolume(env: StepEnv, i: VolumeInstruction): Promise<void> {
  const volumes = { ...(env.state.config.Volumes ?? {}) };
  for (const v of i.volumes) {
    if (v === '') throw new InvalidArgument('VOLUME specified can not be an empty string');
    volumes[v] = {};
  }
  env.state.config.Volumes = volumes;
  return commit(env, `VOLUME ${goList(i.volumes)}`);
}

export function dispatchStopSignal(env: StepEnv, i: StopSignalInstruction): Promise<void> {
  checkSignal(i.signal);
  env.state.config.StopSignal = i.signal;
  return commit(env, `STOPSIGNAL ${i.signal}`);
}

export function dispatchArg(env: StepEnv, i: ArgInstruction): Promise<void> {
  const parts: string[] = [];
  for (const a of i.args) {
    parts.push(a.value === undefined ? a.key : `${a.key}=${a.value}`);
    env.state.args.addArg(a.key, a.value);
  }
  return commit(env, `ARG ${parts.join(' ')}`);
}

export function dispatchShell(env: StepEnv, i: ShellInstruction): Promise<void> {
  env.state.config.Shell = [...i.shell];
  return commit(env, `SHELL ${goList(i.shell)}`);
}

export async function dispatchCmd(env: StepEnv, i: CmdInstruction): Promise<void> {
  const c = env.state.config;
  const cmd = resolveCmdLine(c, i.shell, i.cmd);
  c.Cmd = cmd;
  delete c.ArgsEscaped;
  await commit(env, `CMD ${goQuoteList(cmd)}`);
  if (i.cmd.length) env.state.cmdSet = true;
}

export function dispatchEntrypoint(env: StepEnv, i: EntrypointInstruction): Promise<void> {
  const c = env.state.config;
  c.Entrypoint = resolveCmdLine(c, i.shell, i.cmd);
  delete c.ArgsEscaped;
  if (!env.state.cmdSet) c.Cmd = null;
  return commitConfigWithCmdSet(env, `ENTRYPOINT ${goQuoteList(c.Entrypoint)}`);
}

/** ENTRYPOINT's result depends on whether this stage set a CMD: part of its cache key. */
function commitConfigWithCmdSet(env: StepEnv, comment: string): Promise<void> {
  return commitConfig(env, nopCmd(env.state.config, comment), { cmdSet: env.state.cmdSet });
}

export function dispatchHealthcheck(env: StepEnv, i: HealthcheckInstruction): Promise<void> {
  const c = env.state.config;
  const old = (c.Healthcheck as { Test?: string[] } | undefined)?.Test;
  if (old?.length && old[0] !== 'NONE') env.out.stream(`Note: overriding previous HEALTHCHECK: ${goList(old)}\n`);
  const h = i.health;
  c.Healthcheck = {
    Test: [...h.test],
    ...(h.interval ? { Interval: h.interval } : {}),
    ...(h.timeout ? { Timeout: h.timeout } : {}),
    ...(h.startPeriod ? { StartPeriod: h.startPeriod } : {}),
    ...(h.startInterval ? { StartInterval: h.startInterval } : {}),
    ...(h.retries ? { Retries: h.retries } : {}),
  };
  // Go's %q of *container.HealthConfig: durations through their String(), Retries as a rune
  const retries = goQuote(String.fromCodePoint(h.retries ?? 0)).replace(/^"|"$/g, "'");
  const msg = `HEALTHCHECK &{${goQuoteList(h.test)} ${goQuote(goDuration(h.interval ?? 0))} ${goQuote(goDuration(h.timeout ?? 0))} ${goQuote(goDuration(h.startPeriod ?? 0))} ${retries}}`;
  return commit(env, msg);
}

export function dispatchOnbuild(env: StepEnv, i: OnbuildInstruction): Promise<void> {
  env.state.config.OnBuild = [...(env.state.config.OnBuild ?? []), i.expression];
  return commit(env, `ONBUILD ${i.expression}`);
}
