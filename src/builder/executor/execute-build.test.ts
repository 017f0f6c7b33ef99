/** The executor over a recording fake backend: output, history, run configs, cache, stage order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDockerfile } from '../dockerfile';
import type { ImageConfig } from '../../core/images';
import { NotFound } from '../../errdefs';
import type { BuildBackend, BuildCache, RunSpec } from './backend';
import { executeBuild } from './execute-build';
import { hostSourceFs } from './copy/source-fs';

const BASE: ImageConfig = {
  architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/bin'], Cmd: ['sh'] },
  rootfs: { type: 'layers', diff_ids: ['sha256:l0'] }, history: [{ created_by: 'base' }],
};

class Fake {
  readonly images = new Map<string, ImageConfig>([['sha256:' + 'b'.repeat(64), BASE]]);
  readonly runs: RunSpec[] = [];
  readonly removed: string[] = [];
  readonly cache = new Map<string, string>();
  /** Exit code and output of a RUN by its command line; delay in ms before it exits. */
  behave: (cmd: string) => { code?: number; out?: string; delay?: number } = () => ({});

  backend(): BuildBackend {
    return {
      image: (ref) => {
        const id = ref === 'busybox' ? 'sha256:' + 'b'.repeat(64) : ref;
        const config = this.images.get(id);
        if (!config) throw new NotFound(`No such image: ${ref}`);
        return { id, config };
      },
      lineage: () => [],
      createImage: async (config) => {
        const id = 'sha256:' + createHash('sha256').update(JSON.stringify(config)).digest('hex');
        this.images.set(id, config);
        return id;
      },
      openLayer: async () => {
        const root = await mkdtemp(join(tmpdir(), 'berth-exec-layer-'));
        return {
          root,
          commit: async () => ((await readdir(root)).length ? { diffId: `sha256:${'d'.repeat(63)}${(await readdir(root)).length}`, chainId: 'sha256:c', size: 1 } : undefined),
          release: () => rm(root, { recursive: true, force: true }),
        };
      },
      run: async (spec) => {
        this.runs.push(spec);
        const id = `${this.runs.length}`.padStart(64, 'c');
        spec.onCreated(id);
        const b = this.behave((spec.config.Cmd ?? []).join(' '));
        if (b.delay) await new Promise((r) => setTimeout(r, b.delay));
        if (b.out) spec.stdout(Buffer.from(b.out));
        return { containerId: id, exitCode: b.code ?? 0, commit: async () => undefined, remove: async () => { this.removed.push(id); } };
      },
      cacheMount: async () => ({ path: tmpdir(), release: () => {} }),
      platform: { os: 'linux', architecture: 'amd64' },
    };
  }

  buildCache(): BuildCache {
    return { get: (k) => this.cache.get(k), set: (k, e) => { this.cache.set(k, e.image); } };
  }
}

async function build(fake: Fake, dockerfile: string, opts: { target?: string } = {}) {
  const ctx = await mkdtemp(join(tmpdir(), 'berth-exec-ctx-'));
  let out = '';
  try {
    const r = await executeBuild({
      dockerfile: parseDockerfile(dockerfile), dockerfileText: dockerfile, dockerfileName: 'Dockerfile',
      context: hostSourceFs(ctx), scratchDir: ctx, buildArgs: new Map(), noCache: false, labels: {}, extraHosts: [],
      removeContainers: true, target: opts.target,
    }, { backend: fake.backend(), cache: fake.buildCache(), output: { stream: (t) => { out += t; }, stderr: (t) => { out += `E:${t}`; }, aux: (id) => { out += `AUX:${id.slice(7, 19)}\n`; } } });
    return { out, id: r.imageId };
  } catch (err) {
    return { out, err: err as Error & { exitCode?: number } };
  } finally {
    await rm(ctx, { recursive: true, force: true });
  }
}

const short = (out: string) => out.replace(/[0-9a-f]{12}/g, 'X');

test("legacy builder output, Docker's history words and the step container's config", async () => {
  const fake = new Fake();
  fake.behave = () => ({ out: 'hi\n' });
  const { out, id } = await build(fake, 'FROM busybox\nARG A=1\nENV X=$A\nRUN echo hi\nCMD ["sh","-c","x"]\n');
  assert.equal(short(out), [
    'Step 1/5 : FROM busybox', ' ---> X', 'Step 2/5 : ARG A=1', ' ---> X', 'Step 3/5 : ENV X=$A', ' ---> X',
    'Step 4/5 : RUN echo hi', ' ---> Running in X', 'hi', 'Removing intermediate container X', ' ---> X',
    'Step 5/5 : CMD ["sh","-c","x"]', ' ---> X', 'AUX:X', '',
  ].join('\n'));
  const img = fake.images.get(id!)!;
  assert.deepEqual(img.history!.map((h) => h.created_by), [
    'base', '/bin/sh -c #(nop)  ARG A=1', '/bin/sh -c #(nop)  ENV X=1', '|1 A=1 /bin/sh -c echo hi', '/bin/sh -c #(nop)  CMD ["sh" "-c" "x"]',
  ]);
  assert.ok(img.history!.slice(1).every((h) => h.empty_layer), 'no step changed files');
  assert.deepEqual(img.config!.Cmd, ['sh', '-c', 'x']);
  assert.deepEqual(img.config!.Env, ['PATH=/bin', 'X=1']);
  const run = fake.runs[0].config;
  assert.deepEqual(run.Cmd, ['/bin/sh', '-c', 'echo hi']);
  assert.deepEqual(run.Entrypoint, ['']);
  assert.deepEqual(run.Env, ['PATH=/bin', 'X=1', 'A=1']);
  assert.deepEqual(run.Healthcheck, { Test: ['NONE'] });
  assert.deepEqual(fake.removed, [fake.runs.length.toString().padStart(64, 'c')]);

  const again = await build(fake, 'FROM busybox\nARG A=1\nENV X=$A\nRUN echo hi\nCMD ["sh","-c","x"]\n');
  assert.equal(again.id, id);
  assert.equal((again.out.match(/ ---> Using cache\n/g) ?? []).length, 4);
  assert.equal(fake.runs.length, 1, 'the cached rebuild ran nothing');
});

test('a failing RUN: its exit code on the error, the Dockerfile lines shown, the container removed', async () => {
  const fake = new Fake();
  fake.behave = (cmd) => (cmd.includes('exit 3') ? { code: 3, out: 'before\n' } : {});
  const { out, err } = await build(fake, 'FROM busybox\nRUN echo ok\nRUN echo before; exit 3\n');
  assert.equal(err?.message, "The command '/bin/sh -c echo before; exit 3' returned a non-zero code: 3");
  assert.equal(err?.exitCode, 3);
  assert.match(out, /before\nDockerfile:3\n-+\n {3}1 \| {5}FROM busybox\n {3}2 \| {5}RUN echo ok\n {3}3 \| >>> RUN echo before; exit 3\n-+\n$/);
  assert.equal(fake.removed.length, 2);
});

test('stages: output in stage order though a later one finishes first; stages the target does not need never run', async () => {
  const fake = new Fake();
  fake.behave = (cmd) => ({ out: `${cmd.split(' ').pop()}\n`, delay: cmd.endsWith('slow') ? 150 : 0 });
  const { out, err } = await build(fake, 'FROM busybox AS a\nRUN echo slow\nFROM busybox AS b\nRUN echo fast\nFROM busybox AS c\nRUN echo unused\nFROM a\nCOPY --from=b /x /x\n');
  assert.ok(err, 'COPY of a file the fake stage does not have fails');
  assert.match(out, /Step 1\/6 : FROM busybox AS a\n ---> X?[0-9a-f]*\nStep 2\/6 : RUN echo slow\n[^]*slow\n[^]*Step 3\/6 : FROM busybox AS b\n[^]*fast\n[^]*Step 5\/6 : FROM a\n/);
  assert.doesNotMatch(out, /Step \d\/\d : FROM busybox AS c/);
  assert.deepEqual(fake.runs.map((r) => r.config.Cmd!.at(-1)).sort(), ['echo fast', 'echo slow']);
  const t = await build(new Fake(), 'FROM busybox AS a\nRUN echo a\nFROM busybox AS b\nRUN exit 1\n', { target: 'a' });
  assert.equal(t.err, undefined);
  assert.doesNotMatch(t.out, /exit 1/);
});
