import { InvalidArgument } from '../../errdefs';

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/**
 * Docker's rule for local volume names: `[a-zA-Z0-9][a-zA-Z0-9_.-]`, two characters at least.
 * Throws InvalidArgument with Docker's words (without the `create <name>: ` prefix).
 */
export function validateVolumeName(name: string): void {
  if (name.length === 1) throw new InvalidArgument('volume name is too short, names should be at least two alphanumeric characters');
  if (!NAME_RE.test(name)) {
    throw new InvalidArgument(`${JSON.stringify(name)} includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`);
  }
}

/** RFC 3339 to the second in UTC, as Docker shows CreatedAt (`2024-01-02T03:04:05Z`). */
export function volumeTimestamp(d = new Date()): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}
