/**
 * Parser directives (`# syntax=`, `# escape=`, `# check=`): only in the comment lines at
 * the very top of the file; the first other line (an instruction, an empty line, a plain
 * comment) ends them.
 */
import { InvalidArgument } from '../../errdefs';
import type { Directives } from './types';

const DIRECTIVE = /^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const VALID = new Set(['syntax', 'escape', 'check']);

export class DirectiveParser {
  private done = false;
  readonly found: Directives = {};

  /** The directive on this line, if it is one; throws on a repeated directive. */
  parseLine(line: string): { name: keyof Directives; value: string } | undefined {
    if (this.done) return undefined;
    if (!line.startsWith('#')) {
      this.done = true;
      return undefined;
    }
    const m = DIRECTIVE.exec(line.slice(1).replace(/^\s+/, ''));
    const name = m?.[1].toLowerCase();
    if (!m || !name || !VALID.has(name)) {
      this.done = true;
      return undefined;
    }
    const key = name as keyof Directives;
    if (this.found[key] !== undefined) throw new InvalidArgument(`only one ${key} parser directive can be used`);
    this.found[key] = m[2];
    return { name: key, value: m[2] };
  }
}

/** The escape token a `# escape=` value selects: "`" or `\`. */
export function checkEscapeToken(value: string): string {
  if (value !== '`' && value !== '\\') {
    throw new InvalidArgument(`invalid escape token '${value}' does not match \` or \\`);
  }
  return value;
}
