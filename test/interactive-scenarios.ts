import assert from 'node:assert/strict';
import { TmuxTerminal } from './tmux-terminal';
import type { TestDaemon } from './harness';

/**
 * What the interactive tests share whichever CLI drives them (berth, or the docker CLI
 * against berthd): terminals cleaned up after each test, a container's ps status, and the
 * scenarios that read the same through both CLIs.
 */
export class Terminals {
  private readonly open: TmuxTerminal[] = [];
  private count = 0;
  constructor(private readonly prefix: string) {}

  /** A new terminal running command. */
  start(command: string): TmuxTerminal {
    const t = new TmuxTerminal(`${this.prefix}${this.count++}`, command);
    this.open.push(t);
    return t;
  }

  /** Ends every terminal started since the last call (for afterEach). */
  killAll(): void { for (const t of this.open.splice(0)) t.kill(); }
}

/** `ps -a`'s STATUS of one container, by exact name. */
export async function statusOf(d: TestDaemon, name: string): Promise<string> {
  return (await d.cli(['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Status}}'])).stdout.trim();
}

/** `run -it ... sh`: a prompt, a command's output, `stty size` following a resize, `exit 3`. */
export async function runItScenario(t: TmuxTerminal): Promise<void> {
  await t.waitFor(/\/ # $/m);
  t.typeLine('echo $((6*7))');
  await t.waitFor(/^42\r?$/m);
  t.typeLine('echo size=$(stty size)');
  await t.waitFor(/size=24 80/);
  t.resize(100, 30);
  t.typeLine('echo size=$(stty size)');
  await t.waitFor(/size=30 100/);
  t.typeLine('exit 3');
  assert.equal(await t.exitCode(), 3);
}

/** `start -ai` of a created `-it` shell: a prompt, a command's output, `exit 4`. */
export async function startAiScenario(t: TmuxTerminal): Promise<void> {
  await t.waitFor(/\/ # $/m);
  t.typeLine('echo $((6*7))');
  await t.waitFor(/^42\r?$/m);
  t.typeLine('exit 4');
  assert.equal(await t.exitCode(), 4);
}

/** `exec -it ... sh`: `stty size` following a resize, then ctrl-p ctrl-q detaches as docker does. */
export async function execItScenario(t: TmuxTerminal): Promise<void> {
  await t.waitFor(/\/ # $/m);
  t.typeLine('echo size=$(stty size)');
  await t.waitFor(/size=24 80/);
  t.resize(90, 33);
  t.typeLine('echo size=$(stty size)');
  await t.waitFor(/size=33 90/);
  t.keys('C-p', 'C-q');
  assert.equal(await t.exitCode(), 1);
  assert.match(t.screen(), /read escape sequence/);
}
