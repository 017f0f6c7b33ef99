import { BerthError, findBerthError } from '../../errdefs';

/** err with `prefix` in front of its message, keeping its errdefs code and exit code (Go's errors.Wrap). */
export function prefixError(err: unknown, prefix: string): BerthError {
  const be = findBerthError(err);
  const message = `${prefix}${be?.message ?? (err as Error)?.message ?? String(err)}`;
  return new BerthError(be?.code ?? 'INTERNAL', message, { cause: err, exitCode: be?.exitCode });
}
