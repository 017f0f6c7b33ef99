/**
 * `berth build` / `berth image build`: the docker CLI's legacy builder client. CONTEXT is a
 * directory, `-` (a tar or a Dockerfile on stdin) or a tar file; the daemon's output is shown
 * as docker shows it, `-q` prints only the image ID, and a failed build exits with the failed
 * RUN's code.
 */
import { writeFile, rm, stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import type { Command } from 'commander';
import { UsageError, checkArgs, collect, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus } from '../../errors';
import { humanSize4 } from '../../../lib/go-units';
import { buildMessageText } from '../../formatters/build-output';
import { parseAddHost } from '../container/etc-flags';
import { contextFromDir, contextFromFile, contextFromStdin, type ContextSource } from './build-context';

interface BuildFlags {
  tag?: string[]; file?: string; buildArg?: string[]; target?: string; cache?: boolean; pull?: boolean;
  label?: string[]; quiet?: boolean; network?: string; addHost?: string[]; iidfile?: string; platform?: string; cacheFrom?: string[];
}

/** `--build-arg K=V`, or `K` alone: the value of $K, else named without a value (docker's ConvertKVStringsToMapWithNil). */
function buildArgs(specs: string[] = [], env: NodeJS.ProcessEnv): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const s of specs) {
    const i = s.indexOf('=');
    if (i >= 0) out[s.slice(0, i)] = s.slice(i + 1);
    else out[s] = env[s] ?? null;
  }
  return out;
}

function labels(specs: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of specs) {
    const i = l.indexOf('=');
    if (i === 0) throw new UsageError(`invalid argument "${l}" for "--label" flag: invalid label '${l}': empty name`);
    if (i < 0) out[l] = ''; else out[l.slice(0, i)] = l.slice(i + 1);
  }
  return out;
}

async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function contextOf(ctx: CliContext, spec: string, file: string | undefined): Promise<ContextSource> {
  if (file === '-' && spec === '-') throw new ExitStatus(1, "invalid argument: can't use stdin for both build context and dockerfile");
  if (spec === '-') return contextFromStdin(ctx.io.stdin, file);
  if (/^(https?:\/\/|git@|git:\/\/|github\.com\/)/.test(spec)) throw new ExitStatus(1, `unable to prepare context: remote contexts (${spec}) are not supported by berth`);
  const st = await stat(spec).catch(() => undefined);
  if (!st) throw new ExitStatus(1, `unable to prepare context: path "${spec}" not found`);
  if (!st.isDirectory()) return contextFromFile(spec, file);
  return contextFromDir(spec, file === '-' ? { dockerfileText: await readAll(ctx.io.stdin) } : { dockerfile: file });
}

export function buildCommand(ctx: CliContext): Command {
  const cmd = newCommand('build', '[OPTIONS] PATH | URL | -', 'Build an image from a Dockerfile')
    .option('-t, --tag <list>', 'Name and optionally a tag in the "name:tag" format', collect)
    .option('-f, --file <string>', 'Name of the Dockerfile (Default is "PATH/Dockerfile")')
    .option('--build-arg <list>', 'Set build-time variables', collect)
    .option('--target <string>', 'Set the target build stage to build.')
    .option('--no-cache', 'Do not use cache when building the image')
    .option('--pull', 'Always attempt to pull a newer version of the image')
    .option('--label <list>', 'Set metadata for an image', collect)
    .option('-q, --quiet', 'Suppress the build output and print image ID on success')
    .option('--network <string>', 'Set the networking mode for the RUN instructions during build', 'default')
    .option('--add-host <list>', 'Add a custom host-to-IP mapping ("host:ip")', collect)
    .option('--iidfile <string>', 'Write the image ID to the file')
    .option('--platform <string>', 'Set platform if server is multi-platform capable')
    .option('--cache-from <strings>', 'Images to consider as cache sources', collect)
    .argument('[context...]');
  return cmd.action(async (args: string[], f: BuildFlags) => {
    checkArgs(cmd, args, 1, 1);
    const extraHosts = (f.addHost ?? []).map(parseAddHost);
    if (f.iidfile) await rm(f.iidfile, { force: true });
    const source = await contextOf(ctx, args[0], f.file);
    // docker's upload line: updated in place on a terminal, printed once when done otherwise
    let sent = 0;
    let shown = 0;
    const tty = !f.quiet && !!ctx.io.stdout.isTTY;
    const line = () => `Sending build context to Docker daemon  ${humanSize4(sent)}`;
    const counted = source.tar.pipe(new Transform({
      transform(chunk: Buffer, _enc, cb) {
        sent += chunk.length;
        if (tty && Date.now() - shown > 100) { shown = Date.now(); ctx.out(`\r\u001b[2K${line()}`); }
        cb(null, chunk);
      },
      flush(cb) { if (!f.quiet) ctx.out(`${tty ? '\r\u001b[2K' : ''}${line()}\n`); cb(); },
    }));
    source.tar.on('error', (err) => counted.destroy(err));
    let imageId = '';
    let quietOut = '';
    let failure: { message: string; code: number } | undefined;
    await ctx.client.build.build(counted, {
      tags: f.tag, dockerfile: source.dockerfile, buildArgs: buildArgs(f.buildArg, ctx.env), target: f.target,
      noCache: f.cache === false, pull: f.pull, labels: labels(f.label), quiet: f.quiet,
      networkMode: f.network, extraHosts, platform: f.platform, cacheFrom: f.cacheFrom?.flatMap((c) => c.split(',')).filter(Boolean),
    }, (m) => {
      if (m.errorDetail || m.error) { failure ??= { message: m.errorDetail?.message ?? m.error ?? '', code: m.errorDetail?.code || 1 }; return; }
      if (m.aux && typeof m.aux.ID === 'string') imageId = m.aux.ID;
      const text = buildMessageText(m);
      if (f.quiet) quietOut += text; else ctx.out(text);
    });
    if (failure) {
      if (f.quiet) ctx.err(quietOut);
      throw new ExitStatus(failure.code, failure.message);
    }
    if (f.quiet) {
      ctx.out(quietOut);
      imageId ||= quietOut.trim();
    }
    if (f.iidfile) {
      if (!imageId) throw new ExitStatus(1, `Server did not provide an image ID. Cannot write ${f.iidfile}`);
      await writeFile(f.iidfile, imageId);
    }
  });
}
