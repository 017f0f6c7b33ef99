/** What every `berth compose` verb shares: the global flags, the loaded project and the executor's runtime. */
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { loadProject, type ComposeRuntime, type Project } from '../../../compose';
import type { CliContext } from '../../context';
import { contextFromDir } from '../image/build-context';

export interface ComposeGlobals {
  file?: string[]; projectName?: string; projectDirectory?: string; envFile?: string[]; profile?: string[];
}

/** The `compose` group's flags, wherever the verb sits under it. */
export function globalsOf(cmd: Command): ComposeGlobals {
  let c: Command | null = cmd;
  while (c && c.name() !== 'compose') c = c.parent;
  return (c?.opts() ?? {}) as ComposeGlobals;
}

export function project(ctx: CliContext, cmd: Command): Project {
  const g = globalsOf(cmd);
  return loadProject({
    files: g.file, projectName: g.projectName, projectDirectory: g.projectDirectory, envFiles: g.envFile, profiles: g.profile,
    env: ctx.env, cwd: process.cwd(), warn: (m) => ctx.err(`WARN[0000] ${m}\n`),
  });
}

export function runtime(ctx: CliContext, signal?: AbortSignal): ComposeRuntime {
  return {
    client: ctx.client,
    buildContext: async (dir, dockerfile) => {
      // tar-stream's pack is a streamx stream: piped into a Node stream for the transport
      const src = await contextFromDir(dir, { dockerfile });
      const tar = new PassThrough();
      src.tar.on('error', (err) => tar.destroy(err));
      return { tar: src.tar.pipe(tar), dockerfile: src.dockerfile };
    },
    progress: (line) => ctx.err(`${line}\n`),
    output: (text) => ctx.out(text),
    signal,
  };
}

/** An AbortSignal fired by the first SIGINT/SIGTERM while `fn` runs. */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSig = () => ac.abort();
  process.once('SIGINT', onSig);
  process.once('SIGTERM', onSig);
  try { return await fn(ac.signal); } finally {
    process.removeListener('SIGINT', onSig);
    process.removeListener('SIGTERM', onSig);
  }
}
