import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { findBerthError, type ErrorCode } from '../errdefs';
import { sendJson, sendStatus } from './respond';
import { log } from '../lib/logger';
import { goSyscallMessage } from '../lib/go-syscall-error';

const STATUS: Record<ErrorCode, number> = {
  NOT_FOUND: 404, ALREADY_EXISTS: 409, CONFLICT: 409, INVALID_ARGUMENT: 400, FAILED_PRECONDITION: 412,
  NOT_MODIFIED: 304, NOT_IMPLEMENTED: 501, UNAVAILABLE: 503, UNAUTHORIZED: 401, FORBIDDEN: 403, INTERNAL: 500,
};

/** The HTTP status and Docker-worded message for any error a handler threw. */
export function httpError(err: unknown): { status: number; message: string } {
  const be = findBerthError(err);
  const status = be ? STATUS[be.code] : 500;
  if (status === 500) log.error('request failed', { error: String((err as Error)?.stack ?? err) });
  return { status, message: errorMessage(err) };
}

/** The words a client sees for an error: berth's own, a system error as Go prints it, else the message. */
export function errorMessage(err: unknown): string {
  const be = findBerthError(err);
  if (be) return be.message;
  return goSyscallMessage(err) ?? (err as Error)?.message ?? String(err);
}

/** Answers a failed request once: `{"message": ...}` with exactly application/json. */
export function sendError(res: ServerResponse, err: unknown): void {
  const { status, message } = httpError(err);
  if (res.headersSent) { res.destroy(); return; }
  if (status === 304) { sendStatus(res, 304); return; }
  sendJson(res, status, { message });
}

/** The same on a raw socket of an upgrade request that failed before the 101 went out. */
export function sendErrorRaw(socket: Duplex, headers: Record<string, string>, err: unknown): void {
  const { status, message } = httpError(err);
  const body = JSON.stringify({ message }) + '\n';
  const head = Object.entries({ ...headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) })
    .map(([k, v]) => `${k}: ${v}`).join('\r\n');
  socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : status === 409 ? 'Conflict' : 'Error'}\r\n${head}\r\n\r\n${body}`);
}
