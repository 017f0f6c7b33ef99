/**
 * The k8s-file log format conmon writes: one record per line,
 * `<RFC3339Nano time> <stdout|stderr> <F|P> <content>`, where P marks a partial line (no newline).
 */
export interface LogRecord {
  /** The record's time as written (RFC 3339 with nanoseconds and a zone offset). */
  time: string;
  /** Milliseconds since the epoch, for since/until filters. */
  ms: number;
  /** Nanoseconds within the second, for Docker's timestamp output. */
  nanos: string;
  stream: 'stdout' | 'stderr';
  /** The bytes the container wrote, with the newline restored for full lines. */
  data: Buffer;
}

export function parseK8sLogLine(line: string): LogRecord | undefined {
  const a = line.indexOf(' ');
  const b = line.indexOf(' ', a + 1);
  const c = line.indexOf(' ', b + 1);
  if (a < 0 || b < 0 || c < 0) return undefined;
  const time = line.slice(0, a);
  const stream = line.slice(a + 1, b);
  const tag = line.slice(b + 1, c);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const content = line.slice(c + 1);
  const frac = /\.(\d+)/.exec(time)?.[1] ?? '0';
  return {
    time,
    ms: Date.parse(time),
    nanos: frac.padEnd(9, '0').slice(0, 9),
    stream,
    data: Buffer.from(tag === 'P' ? content : content + '\n'),
  };
}

/** Docker's `--timestamps` form: UTC RFC 3339 with nine fractional digits. */
export function dockerTimestamp(r: LogRecord): string {
  return new Date(r.ms).toISOString().replace(/\.\d+Z$/, `.${r.nanos}Z`);
}
