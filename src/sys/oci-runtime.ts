import { runCommand } from './run-command';
import { NotFound } from '../errdefs';

/** The runtime's view of one container, from `<runtime> state`. */
export interface CliRuntimeState { id: string; pid: number; status: string }

/** An OCI runtime binary (runc or crun) driven through its command line. */
export class CliOciRuntime {
  readonly globalArgs: string[];
  constructor(readonly name: string, readonly path: string, stateRoot: string) {
    this.globalArgs = [`--root=${stateRoot}`];
  }

  private run(args: string[], allowFail = false) {
    return runCommand(this.path, [...this.globalArgs, ...args], { allowFail });
  }

  async start(id: string) { await this.run(['start', id]); }
  async kill(id: string, signal: string, all = false) { await this.run(['kill', ...(all ? ['--all'] : []), id, signal]); }
  async pause(id: string) { await this.run(['pause', id]); }
  async resume(id: string) { await this.run(['resume', id]); }

  async delete(id: string, force = false) {
    const r = await this.run(['delete', ...(force ? ['--force'] : []), id], true);
    if (r.code !== 0 && !/does not exist|not found/i.test(r.stderr)) {
      throw new Error(`${this.name} delete ${id}: ${r.stderr.trim()}`);
    }
  }

  async list(): Promise<string[]> {
    const r = await this.run(['list', '-q'], true);
    return r.code === 0 ? r.stdout.split('\n').filter(Boolean) : [];
  }

  async state(id: string): Promise<CliRuntimeState> {
    const r = await this.run(['state', id], true);
    if (r.code !== 0) throw new NotFound(`${this.name}: container ${id} does not exist`);
    return JSON.parse(r.stdout) as CliRuntimeState;
  }
}
