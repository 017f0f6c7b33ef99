/** The JSON (exec) form of instruction arguments: `["a", "b"]`. */
import { InvalidArgument } from '../../errdefs';

/** Thrown through: a JSON array with a non-string element is an error, not shell form. */
export const NOT_STRING_ARRAY = 'when using JSON array syntax, arrays must be comprised of strings only';

/** The strings of a JSON array, or undefined when rest is not one (then it is shell form). */
export function parseJsonArray(rest: string): string[] | undefined {
  const trimmed = rest.replace(/^\p{White_Space}+/u, '');
  if (!trimmed.startsWith('[')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  if (!parsed.every((v): v is string => typeof v === 'string')) throw new InvalidArgument(NOT_STRING_ARRAY);
  return parsed;
}
