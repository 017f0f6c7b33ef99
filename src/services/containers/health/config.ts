import { InvalidArgument } from '../../../errdefs';

/** The Engine API's HealthConfig; durations in nanoseconds, 0 meaning the default. */
export interface HealthConfig {
  Test?: string[] | null;
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

/** A probe with Docker's defaults applied; durations in milliseconds. */
export interface Probe {
  cmd: string[];
  interval: number;
  timeout: number;
  startPeriod: number;
  startInterval: number;
  retries: number;
  /** The timeout as given, in nanoseconds (Docker's timeout message prints it). */
  timeoutNs: number;
}

const MS = 1e6;
const DEFAULTS = { interval: 30_000, timeout: 30_000, startPeriod: 0, startInterval: 5_000, retries: 3 };

/**
 * The probe a container config asks for, or undefined when it has none (no Healthcheck, an
 * empty Test or `["NONE"]`). `CMD-SHELL` runs through `/bin/sh -c` as Docker does on Linux.
 */
export function probeFor(hc: HealthConfig | undefined): Probe | undefined {
  const test = hc?.Test ?? [];
  if (test.length === 0 || test[0] === 'NONE') return undefined;
  let cmd: string[];
  if (test[0] === 'CMD') cmd = test.slice(1);
  else if (test[0] === 'CMD-SHELL') cmd = ['/bin/sh', '-c', test.slice(1).join(' ')];
  else return undefined;
  if (cmd.length === 0) return undefined;
  const ms = (ns: number | undefined, dflt: number) => (ns && ns > 0 ? ns / MS : dflt);
  return {
    cmd,
    interval: ms(hc!.Interval, DEFAULTS.interval),
    timeout: ms(hc!.Timeout, DEFAULTS.timeout),
    startPeriod: ms(hc!.StartPeriod, DEFAULTS.startPeriod),
    startInterval: ms(hc!.StartInterval, DEFAULTS.startInterval),
    retries: hc!.Retries && hc!.Retries > 0 ? hc!.Retries : DEFAULTS.retries,
    timeoutNs: hc!.Timeout && hc!.Timeout > 0 ? hc!.Timeout : DEFAULTS.timeout * MS,
  };
}

/** Docker's checks of a create body's Healthcheck: InvalidArgument in Docker's words. */
export function validateHealthcheck(hc: HealthConfig | null | undefined): void {
  if (!hc) return;
  for (const key of ['Interval', 'Timeout', 'StartPeriod', 'StartInterval'] as const) {
    const v = hc[key];
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isFinite(v) || (v !== 0 && v < MS))) {
      throw new InvalidArgument(`${key} in Healthcheck cannot be less than 1ms`);
    }
  }
  if (hc.Retries !== undefined && hc.Retries !== null && (typeof hc.Retries !== 'number' || hc.Retries < 0)) {
    throw new InvalidArgument('Retries in Healthcheck cannot be negative');
  }
  const test = hc.Test;
  if (test && test.length > 0 && !['NONE', 'CMD', 'CMD-SHELL'].includes(test[0])) {
    throw new InvalidArgument(`unknown healthcheck type '${test[0]}' (expected "CMD", "CMD-SHELL" or "NONE")`);
  }
}

/**
 * Docker's merge of a create body's Healthcheck over the image's: an empty Test and zero
 * durations or retries are taken from the image.
 */
export function mergeHealthcheck(user: HealthConfig | null | undefined, image: HealthConfig | null | undefined): HealthConfig | undefined {
  if (!user) return image ?? undefined;
  if (!image) return user;
  const out: HealthConfig = { ...user };
  if (!out.Test?.length) out.Test = image.Test;
  for (const k of ['Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries'] as const) if (!out[k]) out[k] = image[k];
  return out;
}
