/**
 * What the build tests share whichever CLI drives the build (berth, or the docker CLI against
 * berthd): build contexts on disk, and scenarios checked through berth's own inspect, history
 * and run. Expected texts (history, config) are those Docker 20.10's builder produced for the
 * same Dockerfiles.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, symlink, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunResult, TestDaemon } from './harness';

export type FileSpec = string | { data: string; mode?: number } | { symlink: string };

/** Build contexts in temp dirs, removed by cleanup(). */
export class Contexts {
  private readonly dirs: string[] = [];

  async make(files: Record<string, FileSpec>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'berth-build-ctx-'));
    this.dirs.push(dir);
    await writeFiles(dir, files);
    return dir;
  }

  async cleanup(): Promise<void> {
    for (const d of this.dirs.splice(0)) await rm(d, { recursive: true, force: true });
  }
}

export async function writeFiles(dir: string, files: Record<string, FileSpec>): Promise<void> {
  for (const [name, spec] of Object.entries(files)) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    if (name.endsWith('/')) continue;
    if (typeof spec === 'string') await writeFile(path, spec);
    else if ('symlink' in spec) await symlink(spec.symlink, path);
    else { await writeFile(path, spec.data); if (spec.mode !== undefined) await chmod(path, spec.mode); }
  }
}

/** A gzipped tar holding `a.txt` (ADD unpacks it). */
export async function tarGz(dir: string, name: string, files: Record<string, string>): Promise<void> {
  const src = await mkdtemp(join(tmpdir(), 'berth-build-tar-'));
  try {
    await writeFiles(src, files);
    execFileSync('tar', ['-czf', join(dir, name), '-C', src, '.']);
  } finally {
    await rm(src, { recursive: true, force: true });
  }
}

/** Runs a build through one CLI: args after `build`. */
export type BuildCli = (args: string[], opts?: { input?: string; timeoutMs?: number }) => Promise<RunResult>;

export async function mustBuild(build: BuildCli, args: string[]): Promise<string> {
  const r = await build(args);
  assert.equal(r.code, 0, `build ${args.join(' ')}: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export async function berthOk(d: TestDaemon, args: string[]): Promise<string> {
  const r = await d.cli(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Every instruction of Docker's legacy builder, in one Dockerfile. */
export const ALL_INSTRUCTIONS = `ARG BASE=busybox
FROM \${BASE} AS base
LABEL maintainer.x="a b" other=1
MAINTAINER someone <s@x>
ENV FOO=bar BAZ="q x"
ENV OLD value
ARG B=2
WORKDIR /work
WORKDIR sub
USER root
COPY f* ./
COPY d /d2/
ADD arch.tar.gz /ext/
ADD plain.txt /p/
RUN echo $FOO $B > out.txt && ls -la
RUN ["sh", "-c", "echo exec form"]
SHELL ["/bin/sh", "-ec"]
RUN echo with shell
EXPOSE 80 53/udp 8000-8002
VOLUME /data /v2
STOPSIGNAL SIGKILL
HEALTHCHECK --interval=5s --timeout=3s --retries=3 CMD echo ok
ONBUILD RUN echo triggered
ENTRYPOINT ["echo"]
CMD ["hello"]
`;

export async function allInstructionsContext(contexts: Contexts): Promise<string> {
  const dir = await contexts.make({ Dockerfile: ALL_INSTRUCTIONS, f1: '1\n', f2: '2\n', 'd/sub/x': 'x\n', 'plain.txt': 'p\n' });
  await tarGz(dir, 'arch.tar.gz', { 'a.txt': 'inarch\n' });
  return dir;
}

/** `docker history --no-trunc --format {{.CreatedBy}}` of ALL_INSTRUCTIONS under Docker 20.10, checksums as H. */
const ALL_HISTORY = [
  '/bin/sh -ec #(nop)  CMD ["hello"]',
  '/bin/sh -ec #(nop)  ENTRYPOINT ["echo"]',
  '/bin/sh -ec #(nop)  ONBUILD RUN echo triggered',
  `/bin/sh -ec #(nop)  HEALTHCHECK &{["CMD-SHELL" "echo ok"] "5s" "3s" "0s" '\\x03'}`,
  '/bin/sh -ec #(nop)  STOPSIGNAL SIGKILL',
  '/bin/sh -ec #(nop)  VOLUME [/data /v2]',
  '/bin/sh -ec #(nop)  EXPOSE 53/udp 80 8000-8002',
  '|1 B=2 /bin/sh -ec echo with shell',
  '/bin/sh -ec #(nop)  SHELL [/bin/sh -ec]',
  '|1 B=2 sh -c echo exec form',
  '|1 B=2 /bin/sh -c echo $FOO $B > out.txt && ls -la',
  '/bin/sh -c #(nop) ADD file:H in /p/ ',
  '/bin/sh -c #(nop) ADD file:H in /ext/ ',
  '/bin/sh -c #(nop) COPY dir:H in /d2/ ',
  '/bin/sh -c #(nop) COPY multi:H in ./ ',
  '/bin/sh -c #(nop)  USER root',
  '/bin/sh -c #(nop) WORKDIR /work/sub',
  '/bin/sh -c #(nop) WORKDIR /work',
  '/bin/sh -c #(nop)  ARG B=2',
  '/bin/sh -c #(nop)  ENV OLD=value',
  '/bin/sh -c #(nop)  ENV FOO=bar BAZ=q x',
  '/bin/sh -c #(nop)  MAINTAINER someone <s@x>',
  '/bin/sh -c #(nop)  LABEL maintainer.x=a b other=1',
];

/** What the same build gave under Docker 20.10: the files, their modes and owners. */
const ALL_FILES = [
  '/work 755 0:0 directory', '/work/sub 755 0:0 directory', '/work/sub/f1 644 0:0 regular file', '/work/sub/f2 644 0:0 regular file',
  '/work/sub/out.txt 644 0:0 regular file', '/d2 755 0:0 directory', '/d2/sub 755 0:0 directory', '/d2/sub/x 644 0:0 regular file',
  '/ext 755 0:0 directory', '/ext/a.txt 644 0:0 regular file', '/p 755 0:0 directory', '/p/plain.txt 644 0:0 regular file',
];

/** Checks the image ALL_INSTRUCTIONS built: history, config, files, and how it runs. */
export async function checkAllInstructions(d: TestDaemon, image: string): Promise<void> {
  const hist = (await berthOk(d, ['history', '--no-trunc', '--format', '{{.CreatedBy}}', image])).split('\n');
  assert.deepEqual(hist.slice(0, ALL_HISTORY.length).map((l) => l.replace(/[0-9a-f]{64}/, 'H')), ALL_HISTORY);
  const info = JSON.parse(await berthOk(d, ['image', 'inspect', image]))[0];
  const c = info.Config;
  assert.equal(info.Author, 'someone <s@x>');
  assert.deepEqual(c.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'FOO=bar', 'BAZ=q x', 'OLD=value']);
  assert.deepEqual(c.Labels, { 'maintainer.x': 'a b', other: '1' });
  assert.deepEqual(c.ExposedPorts, { '53/udp': {}, '80/tcp': {}, '8000/tcp': {}, '8001/tcp': {}, '8002/tcp': {} });
  assert.deepEqual(c.Volumes, { '/data': {}, '/v2': {} });
  assert.equal(c.WorkingDir, '/work/sub');
  assert.equal(c.User, 'root');
  assert.equal(c.StopSignal, 'SIGKILL');
  assert.deepEqual(c.Shell, ['/bin/sh', '-ec']);
  assert.deepEqual(c.Healthcheck, { Test: ['CMD-SHELL', 'echo ok'], Interval: 5e9, Timeout: 3e9, Retries: 3 });
  assert.deepEqual(c.OnBuild, ['RUN echo triggered']);
  assert.deepEqual(c.Entrypoint, ['echo']);
  assert.deepEqual(c.Cmd, ['hello']);
  assert.equal(info.RootFS.Layers.length, JSON.parse(await berthOk(d, ['image', 'inspect', '-f', '{{json .RootFS.Layers}}', 'busybox'])).length + 7, 'two WORKDIRs that made their dirs, four COPY/ADD, one RUN that wrote a file');
  assert.equal(await berthOk(d, ['run', '--rm', image]), 'hello\n');
  assert.equal(await berthOk(d, ['run', '--rm', image, 'a', 'b']), 'a b\n', 'run arguments replace CMD');
  const files = await berthOk(d, ['run', '--rm', '--entrypoint', 'sh', image, '-c',
    'for d in /work /d2 /ext /p; do find $d | sort | while read f; do stat -c "%n %a %u:%g %F" $f; done; done; cat /work/sub/out.txt']);
  assert.deepEqual(files.trim().split('\n'), [...ALL_FILES, 'bar 2']);
}

/** A child of an image with an ONBUILD trigger runs it first, as `# Executing 1 build trigger`. */
export async function checkOnbuild(build: BuildCli, contexts: Contexts, d: TestDaemon, parent: string, tag: string): Promise<void> {
  const dir = await contexts.make({ Dockerfile: `FROM ${parent}\nRUN echo child\n` });
  const out = await mustBuild(build, ['-t', tag, dir]);
  assert.match(out, /Step 1\/2 : FROM .*\n# Executing 1 build trigger\n ---> Running in [0-9a-f]{12}\ntriggered\n/);
  const hist = await berthOk(d, ['history', '--no-trunc', '--format', '{{.CreatedBy}}', tag]);
  assert.deepEqual(hist.split('\n').slice(0, 2), ['/bin/sh -ec echo child', '/bin/sh -ec echo triggered']);
  assert.equal((await berthOk(d, ['image', 'inspect', '-f', '{{json .Config.OnBuild}}', tag])).trim(), 'null');
}
