/**
 * Dockerfile errors in Docker's words. Docker 20.10's legacy builder prefixes instruction
 * errors with `dockerfile parse error line N: ` (buildkit says `... on line N: `); berth
 * uses the 20.10 prefix for every error tied to a line, including those 20.10 reports as
 * `failed to parse Dockerfile: ...` without one (bad JSON, ENV syntax, directives).
 */
import { InvalidArgument, findBerthError } from '../../errdefs';

/** An InvalidArgument that knows the Dockerfile line it is about. */
export class DockerfileParseError extends InvalidArgument {
  readonly line: number;
  /** The message without the line prefix. */
  readonly detail: string;
  constructor(line: number, detail: string, options?: { cause?: unknown }) {
    super(`dockerfile parse error line ${line}: ${detail}`, options);
    this.line = line;
    this.detail = detail;
  }
}

/** err located at `line`; an error that already has a line keeps it. */
export function atLine(err: unknown, line: number): DockerfileParseError {
  const found = findBerthError(err);
  if (found instanceof DockerfileParseError) return found;
  return new DockerfileParseError(line, (found ?? (err as Error)).message, { cause: err });
}

/** Runs fn, locating any error it throws at `line`. */
export function withLine<T>(line: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw atLine(e, line);
  }
}
