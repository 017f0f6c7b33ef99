/**
 * The container config a stage carries from step to step (Docker's runConfig), and the
 * `#(nop)` commands Docker's builder records for steps that run nothing: they become the
 * step's `container_config.Cmd` and, joined, its history `created_by`.
 */
import type { ContainerConfig } from '../../core/images';
import { goQuote } from '../dockerfile/go-quote';

export const DEFAULT_SHELL = ['/bin/sh', '-c'];
export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** container.Config's field order: images made here list their config as Docker's do. */
const FIELD_ORDER = [
  'Hostname', 'Domainname', 'User', 'AttachStdin', 'AttachStdout', 'AttachStderr', 'ExposedPorts', 'Tty', 'OpenStdin',
  'StdinOnce', 'Env', 'Cmd', 'Healthcheck', 'ArgsEscaped', 'Image', 'Volumes', 'WorkingDir', 'Entrypoint',
  'NetworkDisabled', 'MacAddress', 'OnBuild', 'Labels', 'StopSignal', 'StopTimeout', 'Shell',
];

/** A deep copy (Docker's copyRunConfig), its fields in container.Config's order. */
export function cloneConfig(c: ContainerConfig): ContainerConfig {
  const copy = structuredClone(c) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of FIELD_ORDER) if (k in copy) out[k] = copy[k];
  for (const k of Object.keys(copy)) if (!(k in out)) out[k] = copy[k];
  return out as ContainerConfig;
}

/** The stage's config at FROM: the image's, with a default PATH, stdin closed (Docker's beginStage). */
export function stageConfig(image: ContainerConfig | undefined): ContainerConfig {
  const c = image ? cloneConfig(image) : {};
  if (!(c.Env ?? []).some((e) => e.split('=', 1)[0] === 'PATH')) c.Env = [...(c.Env ?? []), DEFAULT_PATH];
  c.OpenStdin = false;
  c.StdinOnce = false;
  return c;
}

export function shellOf(c: ContainerConfig): string[] {
  return c.Shell?.length ? [...c.Shell] : [...DEFAULT_SHELL];
}

/** Cmd `[shell..., "#(nop) ", comment]`: the two-word form most instructions use. */
export function nopCmd(c: ContainerConfig, comment: string): string[] {
  return [...shellOf(c), '#(nop) ', comment];
}

/** Cmd `[shell..., "#(nop) " + comment]`: the one-word form of WORKDIR, COPY and ADD. */
export function nopCmdString(c: ContainerConfig, comment: string): string[] {
  return [...shellOf(c), `#(nop) ${comment}`];
}

/** RUN/CMD/ENTRYPOINT's command: the shell form wrapped in the stage's shell. */
export function resolveCmdLine(c: ContainerConfig, shell: boolean, cmd: string[]): string[] {
  return shell ? [...shellOf(c), ...cmd] : [...cmd];
}

/** Go's `%q` of a []string: `["a" "b"]`. */
export function goQuoteList(list: readonly string[] | null | undefined): string {
  return `[${(list ?? []).map(goQuote).join(' ')}]`;
}

/** Go's `%v` of a []string: `[a b]`. */
export function goList(list: readonly string[] | null | undefined): string {
  return `[${(list ?? []).join(' ')}]`;
}

/** Sets (or replaces, by name) `K=V` in an env list. */
export function setEnv(env: readonly string[] | null | undefined, entry: string): string[] {
  const key = entry.split('=', 1)[0];
  const out = [...(env ?? [])];
  const i = out.findIndex((e) => e.split('=', 1)[0] === key);
  if (i >= 0) out[i] = entry; else out.push(entry);
  return out;
}
