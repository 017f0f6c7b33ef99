import { spawnSync } from 'node:child_process';

/**
 * A real terminal for interactive tests: one command in a detached tmux session on a tmux
 * server of its own (`-L <name>`), read back as the screen. The shell prints `CLI-EXIT=<n>`
 * when the command ends, so tests read the exit status off the screen. `kill` ends the server.
 */
export class TmuxTerminal {
  private readonly server: string;

  constructor(name: string, command: string, size = { width: 80, height: 24 }) {
    this.server = `berth-${name}-${process.pid}`;
    this.tmux('new-session', '-d', '-s', 'main', '-x', String(size.width), '-y', String(size.height),
      `${command}; echo CLI-EXIT=$?; sleep 3600`);
  }

  private tmux(...args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.server, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args[0]}: ${r.stderr}`);
    return r.stdout;
  }

  /** The visible screen, trailing blank lines dropped. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', 'main').replace(/\n+$/, '\n');
  }

  /** Polls the screen until `re` matches (bounded), returning the match. */
  async waitFor(re: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.screen().match(re);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} on the screen:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Waits for the CLI to end and returns its exit status. */
  async exitCode(timeoutMs = 15_000): Promise<number> {
    return Number((await this.waitFor(/CLI-EXIT=(\d+)/, timeoutMs))[1]);
  }

  /** Types a line (literally) and presses Enter. */
  typeLine(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', text);
    this.tmux('send-keys', '-t', 'main', 'Enter');
  }

  /** Sends key names (`C-p`, `C-q`, `x`) one by one, as separate keystrokes. */
  keys(...names: string[]): void {
    for (const k of names) this.tmux('send-keys', '-t', 'main', k);
  }

  resize(width: number, height: number): void {
    this.tmux('resize-window', '-t', 'main', '-x', String(width), '-y', String(height));
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.server, 'kill-server']);
  }
}
