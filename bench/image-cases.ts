/**
 * The image cases (issue 4's speed targets): `load -i` of a 200 MiB one-layer image, `save -o`
 * of it, and `load -i` of a 20-layer image, each through the docker CLI against berthd and
 * against a Docker engine, and through the berth CLI against berthd.
 *
 * The archives are made once per run (on the first warm-up, untimed). Every load starts with
 * the image absent (removed, untimed, before and after), so each load really unpacks; `sync`
 * runs untimed before every timed command so no iteration pays for the previous one's
 * writeback. The loaded image is checked by ID after each load. `cleanup` removes the images
 * from every engine a case touched.
 */
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Case } from './case';
import type { Pair } from './stats';
import { runChecked, runTimed } from './timed';
import { attempt, type Target } from './target';
import { makeBigImage, makeLayeredImage, type ImageArchive } from './image-fixtures';

/** A CLI on one engine, named for the table. */
export interface ImageTarget { target: Target; cliName: 'docker' | 'berth'; engine: 'berthd' | 'docker' }

/** A load or save of 200 MiB takes seconds; allow for a slow engine. */
const HEAVY = { timeoutMs: 300_000 };

const OPS = {
  loadBig: 'load -i big.tar (200 MiB, 1 layer)',
  save: 'save -o out.tar big (200 MiB)',
  loadLayered: 'load -i layered.tar (20 layers x 1 MiB)',
} as const;
type Op = keyof typeof OPS;

const caseName = (cliName: string, op: Op, engine: string) => `${cliName} ${OPS[op]} -> ${engine}`;

interface Fixtures { big: ImageArchive; layered: ImageArchive }

export class ImageCases {
  private fixtures?: Promise<Fixtures>;
  /** Targets that may hold a fixture image, one per engine socket. */
  private readonly touched = new Map<string, Target>();

  /** `dir`: a temp dir for the archives; `prefix`: the repository prefix of the fixtures' tags. */
  constructor(private readonly dir: string, private readonly prefix: string, private readonly iterations: number) {}

  /** The cases, grouped by operation, berthd before docker within each. */
  cases(targets: ImageTarget[]): Case[] {
    const out: Case[] = [];
    for (const op of Object.keys(OPS) as Op[]) {
      for (const t of targets) {
        out.push({
          name: caseName(t.cliName, op, t.engine),
          iterations: this.iterations,
          iterate: () => (op === 'save' ? this.save(t.target, t.engine) : this.load(t.target, op === 'loadBig' ? 'big' : 'layered')),
        });
      }
    }
    return out;
  }

  /** Each berthd row against the docker CLI -> Docker engine row of the same operation. */
  pairs(targets: ImageTarget[]): Pair[] {
    const ref = targets.find((t) => t.engine === 'docker' && t.cliName === 'docker');
    const out: Pair[] = [];
    for (const op of Object.keys(OPS) as Op[]) {
      for (const t of targets.filter((x) => x.engine === 'berthd')) {
        out.push({ label: `${t.cliName} ${OPS[op]}`, subject: caseName(t.cliName, op, t.engine), reference: ref ? caseName('docker', op, 'docker') : undefined });
      }
    }
    return out;
  }

  private archives(): Promise<Fixtures> {
    this.fixtures ??= (async () => {
      const start = Date.now();
      process.stderr.write('(making image archives) ');
      const big = await makeBigImage(this.dir, `${this.prefix}/big:latest`);
      const layered = await makeLayeredImage(this.dir, `${this.prefix}/layered:latest`);
      process.stderr.write(`(${big.files} files, ${((Date.now() - start) / 1000).toFixed(1)} s) `);
      return { big, layered };
    })();
    return this.fixtures;
  }

  private async load(t: Target, which: keyof Fixtures): Promise<number> {
    const fx = (await this.archives())[which];
    this.touched.set(t.socketPath, t);
    await removeImage(t, fx.id);
    await runChecked('sync', []);
    const ms = await t.cmd(['load', '-i', fx.path], HEAVY);
    const id = await imageId(t, fx.ref);
    if (id !== fx.id) throw new Error(`${t.cli} load -i ${fx.path} on ${t.socketPath}: ${fx.ref} is ${id}, expected ${fx.id}`);
    await removeImage(t, fx.id);
    return ms;
  }

  private async save(t: Target, engine: string): Promise<number> {
    const fx = (await this.archives()).big;
    this.touched.set(t.socketPath, t);
    if ((await imageId(t, fx.ref)) !== fx.id) await t.cmd(['load', '-i', fx.path], HEAVY);
    const out = join(this.dir, `out-${engine}.tar`);
    await rm(out, { force: true });
    await runChecked('sync', []);
    const ms = await t.cmd(['save', '-o', out, fx.ref], HEAVY);
    const size = (await stat(out)).size;
    await rm(out);
    if (size < fx.layerBytes) throw new Error(`${t.cli} save -o ${out} ${fx.ref}: ${size} bytes, less than the layer's ${fx.layerBytes}`);
    return ms;
  }

  /** Removes the fixture images from every engine a case used. */
  async cleanup(): Promise<void> {
    const fx = await this.fixtures?.catch(() => undefined);
    if (!fx) return;
    for (const t of this.touched.values()) {
      for (const a of [fx.big, fx.layered]) await attempt(`remove image ${a.ref} from ${t.socketPath}`, () => removeImage(t, a.id));
    }
  }
}

/** The ID `ref` names on t's engine, or undefined when it names none. */
async function imageId(t: Target, ref: string): Promise<string | undefined> {
  const r = await runTimed(t.cli, ['image', 'inspect', '-f', '{{.Id}}', ref], { env: t.env });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** `rmi -f <id>` when the engine has the image (absent is fine). */
async function removeImage(t: Target, id: string): Promise<void> {
  if ((await imageId(t, id)) === undefined) return;
  await t.cmd(['rmi', '-f', id], HEAVY);
}
