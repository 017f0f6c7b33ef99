/**
 * berth's one set of error classes. Every layer throws these (wrapping lower errors as
 * `cause`); `server/` translates them to HTTP statuses once, `client/` maps statuses back.
 * Detect with the `is*` helpers, which walk the cause chain, never with `instanceof`.
 */

export type ErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'CONFLICT'
  | 'INVALID_ARGUMENT'
  | 'FAILED_PRECONDITION'
  | 'NOT_MODIFIED'
  | 'NOT_IMPLEMENTED'
  | 'UNAVAILABLE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'INTERNAL';

export class BerthError extends Error {
  readonly code: ErrorCode;
  /** A process exit code the failure implies (127 for a command not found), if any. */
  readonly exitCode?: number;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = options?.exitCode;
    this.name = new.target.name;
  }
}

type Opts = { cause?: unknown; exitCode?: number };
export class NotFound extends BerthError { constructor(m: string, o?: Opts) { super('NOT_FOUND', m, o); } }
export class AlreadyExists extends BerthError { constructor(m: string, o?: Opts) { super('ALREADY_EXISTS', m, o); } }
export class Conflict extends BerthError { constructor(m: string, o?: Opts) { super('CONFLICT', m, o); } }
export class InvalidArgument extends BerthError { constructor(m: string, o?: Opts) { super('INVALID_ARGUMENT', m, o); } }
export class FailedPrecondition extends BerthError { constructor(m: string, o?: Opts) { super('FAILED_PRECONDITION', m, o); } }
/** The operation had nothing to do (start of a running container): HTTP 304. */
export class NotModified extends BerthError { constructor(m: string, o?: Opts) { super('NOT_MODIFIED', m, o); } }
export class NotImplemented extends BerthError { constructor(m: string, o?: Opts) { super('NOT_IMPLEMENTED', m, o); } }
export class Unavailable extends BerthError { constructor(m: string, o?: Opts) { super('UNAVAILABLE', m, o); } }
export class Unauthorized extends BerthError { constructor(m: string, o?: Opts) { super('UNAUTHORIZED', m, o); } }
export class Forbidden extends BerthError { constructor(m: string, o?: Opts) { super('FORBIDDEN', m, o); } }
export class Internal extends BerthError { constructor(m: string, o?: Opts) { super('INTERNAL', m, o); } }

/** The first BerthError on err's cause chain, if any. */
export function findBerthError(err: unknown): BerthError | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 16; depth++) {
    if (e instanceof BerthError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function codeOf(err: unknown): ErrorCode {
  return findBerthError(err)?.code ?? 'INTERNAL';
}

export const isNotFound = (e: unknown) => codeOf(e) === 'NOT_FOUND';
export const isAlreadyExists = (e: unknown) => codeOf(e) === 'ALREADY_EXISTS';
export const isConflict = (e: unknown) => codeOf(e) === 'CONFLICT';
export const isInvalidArgument = (e: unknown) => codeOf(e) === 'INVALID_ARGUMENT';
export const isNotModified = (e: unknown) => codeOf(e) === 'NOT_MODIFIED';
export const isUnavailable = (e: unknown) => codeOf(e) === 'UNAVAILABLE';

/** True when err (a Node system error) carries the given errno code, e.g. 'ENOENT'. */
export function hasErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
