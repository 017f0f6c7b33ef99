/** HEALTHCHECK NONE | HEALTHCHECK [--interval --timeout --start-period --start-interval --retries] CMD ... */
import { InvalidArgument } from '../../../errdefs';
import { parseGoDuration } from '../../../lib/go-duration';
import type { HealthConfig, HealthcheckInstruction } from '../types';
import { type ParseRequest, atLeastOne, base, commandLine } from './request';
import { goQuote } from '../go-quote';

const MIN_INTERVAL_NS = 1e6;

/** A duration flag in nanoseconds; empty or 0 is 0 ("inherit"); below 1ms is an error. */
function interval(name: string, value: string): number {
  if (value === '') return 0;
  let ns: number;
  try {
    ns = parseGoDuration(value);
  } catch (e) {
    throw new InvalidArgument((e as Error).message);
  }
  if (ns !== 0 && ns < MIN_INTERVAL_NS) throw new InvalidArgument(`Interval ${goQuote(name)} cannot be less than 1ms`);
  return ns;
}

/** Go's strconv.ParseInt(value, 10, 32), with its messages. */
function int32(value: string): number {
  if (!/^[+-]?\d+$/.test(value)) throw new InvalidArgument(`strconv.ParseInt: parsing ${goQuote(value)}: invalid syntax`);
  const n = Number(value);
  if (n > 2 ** 31 - 1 || n < -(2 ** 31)) {
    throw new InvalidArgument(`strconv.ParseInt: parsing ${goQuote(value)}: value out of range`);
  }
  return n;
}

export function parseHealthcheck(req: ParseRequest): HealthcheckInstruction {
  if (req.args.length === 0) throw new InvalidArgument(atLeastOne('HEALTHCHECK'));
  const type = req.args[0].toUpperCase();
  const rest = { ...req, args: req.args.slice(1) };
  if (type === 'NONE') {
    if (rest.args.length !== 0) throw new InvalidArgument('HEALTHCHECK NONE takes no arguments');
    return { kind: 'healthcheck', health: { test: ['NONE'] }, ...base(req) };
  }
  const flags = ['interval', 'timeout', 'start-period', 'start-interval', 'retries'].map((f) => req.flags.string(f));
  req.flags.parse();
  if (type !== 'CMD') throw new InvalidArgument(`Unknown type ${goQuote(type)} in HEALTHCHECK (try CMD)`);
  const cmd = commandLine(rest);
  if (cmd.length === 0) throw new InvalidArgument('Missing command after HEALTHCHECK CMD');
  const [fInterval, fTimeout, fStartPeriod, fStartInterval, fRetries] = flags.map((f) => f());
  const health: HealthConfig = {
    test: [req.json ? 'CMD' : 'CMD-SHELL', ...cmd],
    interval: interval('interval', fInterval),
    timeout: interval('timeout', fTimeout),
    startPeriod: interval('start-period', fStartPeriod),
    startInterval: interval('start-interval', fStartInterval),
    retries: fRetries === '' ? 0 : int32(fRetries),
  };
  if (health.retries! < 0) throw new InvalidArgument(`--retries cannot be negative (${health.retries})`);
  return { kind: 'healthcheck', health, ...base(req) };
}
