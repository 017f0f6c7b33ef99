/** A container's health as inspect shows it (`State.Health`). */
export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

export interface HealthLogEntry { Start: string; End: string; ExitCode: number; Output: string }

export interface HealthState { Status: HealthStatus; FailingStreak: number; Log: HealthLogEntry[] }

/** Docker keeps this many results and this many bytes of each probe's output. */
export const MAX_LOG_ENTRIES = 5;
export const MAX_OUTPUT_BYTES = 4096;

/** A fresh state for a container that has just started: the log of earlier runs is kept. */
export function startingHealth(prev?: HealthState): HealthState {
  return { Status: 'starting', FailingStreak: 0, Log: prev?.Log ?? [] };
}

/** Truncates output to Docker's limit, in bytes. */
export function truncateOutput(out: Buffer | string): string {
  const b = typeof out === 'string' ? Buffer.from(out) : out;
  return b.subarray(0, MAX_OUTPUT_BYTES).toString('utf8');
}

/**
 * Applies one probe result (Docker's handleProbeResult): exit 0 makes the container healthy and
 * clears the streak; any other code adds to the streak, unless the container is still starting
 * within its start period, and `retries` consecutive failures make it unhealthy.
 */
export function applyProbeResult(
  state: HealthState, result: HealthLogEntry, opts: { retries: number; inStartPeriod: boolean },
): HealthState {
  const Log = [...state.Log, { ...result, Output: truncateOutput(result.Output) }].slice(-MAX_LOG_ENTRIES);
  if (result.ExitCode === 0) return { Status: 'healthy', FailingStreak: 0, Log };
  if (state.Status === 'starting' && opts.inStartPeriod) return { ...state, Log };
  const FailingStreak = state.FailingStreak + 1;
  return { Status: FailingStreak >= opts.retries ? 'unhealthy' : state.Status, FailingStreak, Log };
}

/** ps's suffix text: `health: starting`, `healthy`, `unhealthy`. */
export function healthText(state: HealthState): string {
  return state.Status === 'starting' ? 'health: starting' : state.Status;
}
