/** A leveled logger writing one line per record to stderr, like dockerd's text format. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, fatal: 4 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

let threshold: LogLevel = 'info';
export function setLogLevel(level: LogLevel): void { threshold = level; }
export function isLogLevel(s: string): s is LogLevel { return s in ORDER; }

function emit(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
  if (ORDER[level] < ORDER[threshold]) return;
  const extra = fields ? Object.entries(fields).map(([k, v]) => ` ${k}=${JSON.stringify(v)}`).join('') : '';
  process.stderr.write(`time="${new Date().toISOString()}" level=${level} msg=${JSON.stringify(msg)}${extra}\n`);
}

export const log: Logger = {
  debug: (m, f) => emit('debug', m, f),
  info: (m, f) => emit('info', m, f),
  warn: (m, f) => emit('warn', m, f),
  error: (m, f) => emit('error', m, f),
};
