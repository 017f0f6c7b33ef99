import { randomBytes } from 'node:crypto';

/** A new 64-hex-character object ID, as Docker uses for containers and execs. */
export function newId(): string {
  return randomBytes(32).toString('hex');
}

/** The 12-character short form Docker prints. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

const NAME_RE = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Docker's rule for container names: `/?[a-zA-Z0-9][a-zA-Z0-9_.-]+`. */
export function isValidContainerName(name: string): boolean {
  return NAME_RE.test(name);
}
