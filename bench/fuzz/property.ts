/**
 * The contract of a fuzz target (one parser or decoder) and the checks its properties share.
 * A property's `check` throws when the property does not hold; returning means it held.
 */
import type * as fc from 'fast-check';
import { findBerthError, type ErrorCode } from '../../src/errdefs';

export interface FuzzProperty<T = any> {
  name: string;
  arbitrary: fc.Arbitrary<T>;
  check(input: T): void;
}

export interface FuzzTarget {
  /** Short name, matched by `--only` (with `/property`). */
  name: string;
  /** What is fuzzed, for the report. */
  module: string;
  properties: FuzzProperty[];
}

/** Says whether an error is one the module declares (anything else is a crash). */
export type Declared = (err: unknown) => boolean;

/** An errdefs error with one of `codes` anywhere on the cause chain. */
export const berthError = (...codes: ErrorCode[]): Declared => (err) => {
  const found = findBerthError(err);
  return !!found && codes.includes(found.code);
};

/** An instance of the module's own error class whose message starts like one of `prefixes`. */
export const errorClass = (cls: new (...a: any[]) => Error, ...prefixes: string[]): Declared => (err) =>
  err instanceof cls && (prefixes.length === 0 || prefixes.some((p) => err.message.startsWith(p)));

/** JavaScript's own failures: a bug wherever they surface, even wrapped as a cause. */
const CRASHES = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError];

/** V8's messages for those failures, found in the text of a module that re-wraps only the message. */
const CRASH_MESSAGE = /Cannot read properties of|is not a function|is not iterable|Invalid (array|string) length|Maximum call stack size exceeded|is not defined|Invalid count value|Cannot convert/;

/** `declared`, and no crash anywhere on the cause chain nor in the message (a module may wrap whatever it catches). */
export const withoutCrashCause = (declared: Declared): Declared => (err) => {
  if (!declared(err)) return false;
  for (let e: unknown = err, depth = 0; e && depth < 16; depth++, e = (e as { cause?: unknown }).cause) {
    if (CRASHES.some((c) => e instanceof c) || CRASH_MESSAGE.test((e as Error).message ?? '')) return false;
  }
  return true;
};

/** Either declaration holds. */
export const anyOf = (...ds: Declared[]): Declared => (err) => ds.some((d) => d(err));

/** An error that is not declared: the crash a fuzzer is after. */
export class UndeclaredError extends Error {}

/**
 * Runs `fn`: returning is fine, throwing a declared error is fine, anything else (TypeError,
 * RangeError, a stack overflow, an undeclared class) fails the property.
 */
export function returnsOrDeclares<T>(fn: () => T, declared: Declared): { value?: T; error?: unknown } {
  try {
    return { value: fn() };
  } catch (err) {
    if (declared(err)) return { error: err };
    const e = err as Error;
    const stack = (e?.stack ?? String(err)).split('\n').slice(0, 6).join('\n');
    throw new UndeclaredError(`undeclared ${e?.constructor?.name ?? typeof err}: ${stack}`, { cause: err });
  }
}

/** Fails with both values shown when `a` and `b` differ as JSON. */
export function sameJson(what: string, a: unknown, b: unknown): void {
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  if (ja !== jb) throw new Error(`${what} differ:\n  ${ja}\n  ${jb}`);
}
