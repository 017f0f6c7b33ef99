/** The healthcheck flags of `run` and `create`, mapped to a HealthConfig as the docker CLI does. */
import type { Command } from 'commander';
import type { HealthConfig } from '../../../client';
import { UsageError, intArg } from '../../command-kit';
import { parseGoDuration } from '../../../lib/go-duration';

export interface HealthFlags {
  healthCmd?: string; healthInterval?: number; healthTimeout?: number; healthRetries?: number;
  healthStartPeriod?: number; healthStartInterval?: number;
  /** False with `--no-healthcheck` (commander's negatable flag). */
  healthcheck?: boolean;
}

export { parseGoDuration };

function durationArg(flag: string) {
  return (value: string): number => {
    try { return parseGoDuration(value); } catch (e) { throw new UsageError(`invalid argument "${value}" for "${flag}" flag: ${(e as Error).message}`); }
  };
}

export function addHealthFlags(cmd: Command): Command {
  return cmd
    .option('--health-cmd <string>', 'Command to run to check health')
    .option('--health-interval <duration>', 'Time between running the check (ms|s|m|h) (default 0s)', durationArg('--health-interval'))
    .option('--health-timeout <duration>', 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)', durationArg('--health-timeout'))
    .option('--health-retries <int>', 'Consecutive failures needed to report unhealthy', intArg('--health-retries'))
    .option('--health-start-period <duration>', 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)', durationArg('--health-start-period'))
    .option('--health-start-interval <duration>', 'Time between running the check during the start period (ms|s|m|h) (default 0s)', durationArg('--health-start-interval'))
    .option('--no-healthcheck', 'Disable any container-specified HEALTHCHECK');
}

/** docker's opts.go: `--no-healthcheck` is Test ["NONE"]; any --health-* flag makes a config. */
export function buildHealthcheck(f: HealthFlags): HealthConfig | undefined {
  const any = !!f.healthCmd || !!f.healthInterval || !!f.healthTimeout || !!f.healthStartPeriod || !!f.healthRetries || !!f.healthStartInterval;
  if (f.healthcheck === false) {
    if (any) throw new UsageError('--no-healthcheck conflicts with --health-* options');
    return { Test: ['NONE'] };
  }
  if (!any) return undefined;
  const checks: [number | undefined, string][] = [
    [f.healthInterval, '--health-interval'], [f.healthTimeout, '--health-timeout'], [f.healthRetries, '--health-retries'],
    [f.healthStartPeriod, '--health-start-period'], [f.healthStartInterval, '--health-start-interval'],
  ];
  for (const [v, flag] of checks) if (v !== undefined && v < 0) throw new UsageError(`${flag} cannot be negative`);
  return {
    Test: f.healthCmd ? ['CMD-SHELL', f.healthCmd] : null,
    Interval: f.healthInterval ?? 0, Timeout: f.healthTimeout ?? 0, StartPeriod: f.healthStartPeriod ?? 0,
    StartInterval: f.healthStartInterval ?? 0, Retries: f.healthRetries ?? 0,
  };
}
