import { runChecked, type RunOptions } from './timed';

/** A container CLI (berth or docker) pointed at one engine; remembers names it may leave behind. */
export class Target {
  readonly pending = new Set<string>();
  constructor(readonly cli: string, readonly socketPath: string) {}

  get env(): NodeJS.ProcessEnv {
    return { ...process.env, DOCKER_HOST: `unix://${this.socketPath}`, BERTH_HOST: `unix://${this.socketPath}` };
  }

  /** `<cli> run --rm --name <name> busybox true`; the name lets cleanup find it if --rm did not. */
  async runTrue(name: string): Promise<number> {
    this.pending.add(name);
    const res = await runChecked(this.cli, ['run', '--rm', '--name', name, 'busybox', 'true'], { env: this.env });
    this.pending.delete(name);
    return res.ms;
  }

  /** `<cli> exec <name> true` into a running container made on the warm-up iteration. */
  async execTrue(name: string, warmup: boolean): Promise<number> {
    if (warmup) {
      this.pending.add(name);
      await runChecked(this.cli, ['run', '-d', '--name', name, 'busybox', 'sleep', '1000'], { env: this.env });
    }
    return this.cmd(['exec', name, 'true']);
  }

  /** `<cli> start <name>` of a container created (untimed) just before. */
  async startCreated(name: string): Promise<number> {
    this.pending.add(name);
    await runChecked(this.cli, ['create', '--name', name, 'busybox', 'true'], { env: this.env });
    const ms = await this.cmd(['start', name]);
    await runChecked(this.cli, ['rm', '-f', name], { env: this.env });
    this.pending.delete(name);
    return ms;
  }

  /**
   * `<cli> ps -a` over `count` containers created (untimed, `<prefix>-<n>`, busybox true) on
   * the warm-up iteration; they stay registered in `pending` for cleanup.
   */
  async psAll(prefix: string, count: number, warmup: boolean): Promise<number> {
    if (warmup) {
      for (let n = 0; n < count; n++) {
        const name = `${prefix}-${n}`;
        this.pending.add(name);
        await runChecked(this.cli, ['create', '--name', name, 'busybox', 'true'], { env: this.env });
      }
    }
    return this.cmd(['ps', '-a']);
  }

  /** `<cli> <args>`, timed; rejects when it fails. */
  async cmd(args: string[], opts: RunOptions = {}): Promise<number> {
    return (await runChecked(this.cli, args, { env: this.env, ...opts })).ms;
  }

  async cleanup(): Promise<void> {
    for (const name of this.pending) await attempt(`remove container ${name}`, () => this.cmd(['rm', '-f', name]));
    this.pending.clear();
  }
}

/** Runs one cleanup step; a failure is reported and the remaining steps still run. */
export async function attempt(what: string, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (err) {
    process.stderr.write(`bench: cleanup: could not ${what}: ${(err as Error).message}\n`);
  }
}

