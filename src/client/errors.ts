/** Maps the daemon's HTTP errors back to errdefs classes, keeping the server's message. */
import {
  BerthError, Conflict, Forbidden, Internal, InvalidArgument, NotFound, NotImplemented,
  NotModified, Unauthorized, Unavailable, findBerthError,
} from '../errdefs';

const FROM_DAEMON = Symbol.for('berth.client.fromDaemon');

/** The error body's message: JSON `message` on an exact `application/json`, else the raw text. */
export function errorMessage(status: number, contentType: string | undefined, body: string): string {
  if (contentType === 'application/json') {
    try {
      const parsed = JSON.parse(body) as { message?: unknown };
      if (typeof parsed.message === 'string') return parsed.message;
    } catch { /* not JSON after all: fall through to the raw body */ }
  }
  const text = body.trim();
  return text || `${status} ${statusText(status)}`;
}

function statusText(status: number): string {
  return ({ 304: 'Not Modified', 400: 'Bad Request', 404: 'Not Found', 409: 'Conflict', 500: 'Internal Server Error' } as Record<number, string>)[status] ?? 'error';
}

/** The errdefs error for an HTTP status, marked as the daemon's own answer. */
export function errorFromStatus(status: number, message: string): BerthError {
  const make = (): BerthError => {
    switch (status) {
      case 304: return new NotModified(message);
      case 400: return new InvalidArgument(message);
      case 401: return new Unauthorized(message);
      case 403: return new Forbidden(message);
      case 404: return new NotFound(message);
      case 409: return new Conflict(message);
      case 501: return new NotImplemented(message);
      case 503: return new Unavailable(message);
      default: return new Internal(message);
    }
  };
  const err = make();
  (err as unknown as Record<symbol, boolean>)[FROM_DAEMON] = true;
  return err;
}

/** True when err (or its cause) is an error response the daemon sent. */
export function isDaemonError(err: unknown): boolean {
  const e = findBerthError(err);
  return !!e && (e as unknown as Record<symbol, boolean>)[FROM_DAEMON] === true;
}

/** The connection-failure error the CLI reports like docker does. */
export function connectError(url: string, cause: unknown): Unavailable {
  return new Unavailable(`Cannot connect to the berth daemon at ${url}. Is the berth daemon running?`, { cause });
}
