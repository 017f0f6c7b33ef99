import type { ServerResponse } from 'node:http';

/** Sends a JSON body with exactly `Content-Type: application/json` (the Go CLI needs the exact match). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body) + '\n';
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) });
  res.end(data);
}

/** An empty answer: 204 after start/stop/kill, 304 when there was nothing to do. */
export function sendStatus(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * A chunked stream of JSON messages (pull, load, import, events): headers are flushed at once;
 * `fail` reports an error after the 200 has gone out as Docker does.
 */
export interface JsonStream {
  write(msg: unknown): void;
  fail(message: string): void;
  end(): void;
}

export function startJsonStream(res: ServerResponse, status = 200): JsonStream {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.flushHeaders();
  return {
    write: (msg) => { res.write(JSON.stringify(msg) + '\r\n'); },
    fail: (message) => { res.write(JSON.stringify({ errorDetail: { message }, error: message }) + '\r\n'); },
    end: () => { res.end(); },
  };
}
