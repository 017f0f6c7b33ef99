/**
 * An instruction's `--name=value` flags (buildkit's BFlags): each instruction declares the
 * flags it takes, then parse() checks what was written. Errors in Docker 20.10's words.
 */
import { InvalidArgument } from '../../../errdefs';

type FlagType = 'bool' | 'string' | 'strings';

interface Flag {
  type: FlagType;
  value: string;
  values: string[];
  used: boolean;
}

export class Flags {
  private readonly declared = new Map<string, Flag>();

  constructor(private readonly args: string[]) {}

  /** Declares flags; returns a reader for their values once parse() ran. */
  bool(name: string): () => boolean {
    const f = this.add(name, 'bool', 'false');
    return () => f.value === 'true';
  }
  string(name: string, def = ''): () => string {
    const f = this.add(name, 'string', def);
    return () => f.value;
  }
  strings(name: string): () => string[] {
    const f = this.add(name, 'strings', '');
    return () => f.values;
  }
  /** Whether the flag was written (for flags whose absence differs from false). */
  isUsed(name: string): boolean {
    return this.declared.get(name)?.used ?? false;
  }

  private add(name: string, type: FlagType, value: string): Flag {
    const f: Flag = { type, value, values: [], used: false };
    this.declared.set(name, f);
    return f;
  }

  /** Checks every written flag against the declared ones and records its value. */
  parse(): void {
    for (const arg of this.args) {
      if (arg === '--') return;
      if (!arg.startsWith('--')) throw new InvalidArgument(`Arg should start with -- : ${arg}`);
      const eq = arg.indexOf('=');
      const name = (eq < 0 ? arg : arg.slice(0, eq)).slice(2);
      const value = eq < 0 ? '' : arg.slice(eq + 1);
      const f = this.declared.get(name);
      if (!f) throw new InvalidArgument(`Unknown flag: ${name}`);
      if (f.used && f.type !== 'strings') throw new InvalidArgument(`Duplicate flag specified: ${name}`);
      f.used = true;
      if (f.type === 'bool') {
        if (eq >= 0 && value === '') throw new InvalidArgument(`Missing a value on flag: ${name}`);
        const v = value.toLowerCase();
        if (v !== '' && v !== 'true' && v !== 'false') {
          throw new InvalidArgument(`Expecting boolean value for flag ${name}, not: ${value}`);
        }
        f.value = v === 'false' ? 'false' : 'true';
      } else {
        if (eq < 0) throw new InvalidArgument(`Missing a value on flag: ${name}`);
        if (f.type === 'string') f.value = value;
        else f.values.push(value);
      }
    }
  }
}
