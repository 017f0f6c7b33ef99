/**
 * `.dockerignore` patterns as moby/patternmatcher evaluates them (the docker CLI's and
 * BuildKit's matcher): `*` and `?` stay within one path element, `**` spans any number of
 * them, `[...]` classes, `\` escapes, `!` exceptions, the last matching pattern wins, and a
 * path is matched when it or one of its parent directories matches (MatchesOrParentMatches).
 */

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

interface Pattern {
  cleaned: string;
  exclusion: boolean;
  type: MatchType;
  re?: RegExp;
}

/** Go's path.Clean for slash-separated paths. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

/** Characters that mean something in a RegExp but nothing in a path pattern (patternmatcher's shouldEscape). */
const ESCAPE = new Set('.+()|{}$'.split(''));

/** Go filepath.Match's syntax check (ErrBadPattern): classes must close and hold valid ranges, `\\` must escape something. */
function checkSyntax(p: string): void {
  const bad = () => new Error('syntax error in pattern');
  const char = (i: number): number => {
    if (i >= p.length || p[i] === '-' || p[i] === ']') throw bad();
    if (p[i] === '\\') { if (i + 1 >= p.length) throw bad(); return i + 2; }
    return i + 1;
  };
  for (let i = 0; i < p.length;) {
    if (p[i] === '\\') { if (i + 1 >= p.length) throw bad(); i += 2; continue; }
    if (p[i] !== '[') { i++; continue; }
    i++;
    if (p[i] === '^') i++;
    for (let ranges = 0; ; ranges++) {
      if (p[i] === ']' && ranges > 0) { i++; break; }
      i = char(i);
      if (p[i] === '-') i = char(i + 1);
    }
  }
}

/** patternmatcher's Pattern.compile: the cheapest match type that does, and its RegExp. */
function compile(cleaned: string): Pick<Pattern, 'type' | 're'> {
  let re = '^';
  let type: MatchType = 'exact';
  const chars = [...cleaned];
  let pos = 0;
  for (let i = 0; pos < chars.length; i++) {
    const ch = chars[pos++];
    if (ch === '*') {
      if (chars[pos] === '*') {
        pos++;
        if (chars[pos] === '/') pos++; // `**/` is `**`
        if (pos >= chars.length) {
          if (type === 'exact') type = 'prefix';
          else { re += '.*'; type = 'regexp'; }
        } else {
          re += '(.*/)?';
          type = 'regexp';
        }
        if (i === 0) type = 'suffix';
      } else {
        re += '[^/]*';
        type = 'regexp';
      }
    } else if (ch === '?') {
      re += '[^/]';
      type = 'regexp';
    } else if (ESCAPE.has(ch)) {
      re += `\\${ch}`;
    } else if (ch === '\\') {
      if (pos < chars.length) { re += `\\${chars[pos++]}`; type = 'regexp'; } else re += '\\\\';
    } else if (ch === '[' || ch === ']') {
      re += ch;
      type = 'regexp';
    } else {
      re += ch;
    }
  }
  return type === 'regexp' ? { type, re: new RegExp(`${re}$`) } : { type };
}

function matches(p: Pattern, path: string): boolean {
  switch (p.type) {
    case 'exact': return path === p.cleaned;
    case 'prefix': return path.startsWith(p.cleaned.slice(0, -2));
    case 'suffix': {
      const suffix = p.cleaned.slice(2);
      return path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
    }
    default: return p.re!.test(path);
  }
}

export class PatternMatcher {
  private readonly patterns: Pattern[] = [];
  /** True when some pattern is an exception (`!...`): excluded dirs must still be walked. */
  readonly exclusions: boolean = false;

  /** Throws on a lone `!` or a malformed `[` class, as patternmatcher.New does. */
  constructor(patterns: readonly string[]) {
    for (const raw of patterns) {
      let p = raw.trim();
      if (p === '') continue;
      p = cleanPath(p);
      let exclusion = false;
      if (p[0] === '!') {
        if (p.length === 1) throw new Error('illegal exclusion pattern: "!"');
        exclusion = true;
        p = p.slice(1);
        this.exclusions = true;
      }
      checkSyntax(p);
      let compiled: Pick<Pattern, 'type' | 're'>;
      try { compiled = compile(p); } catch (err) {
        throw new Error('syntax error in pattern', { cause: err }); // a class Go's regexp refuses too (`[z-a]`)
      }
      this.patterns.push({ cleaned: p, exclusion, ...compiled });
    }
  }

  /** Whether file (slash-separated, relative to the context) is excluded. */
  matches(file: string): boolean {
    const path = cleanPath(file);
    const parent = dirOf(path);
    const parentDirs = parent === '.' ? [] : parent.split('/');
    let matched = false;
    for (const p of this.patterns) {
      if (p.exclusion !== matched) continue;
      let m = matches(p, path);
      for (let i = 0; !m && i < parentDirs.length; i++) m = matches(p, parentDirs.slice(0, i + 1).join('/'));
      if (m) matched = !p.exclusion;
    }
    return matched;
  }

  /** The patterns after cleaning, `!` kept on exceptions. */
  list(): string[] {
    return this.patterns.map((p) => (p.exclusion ? `!${p.cleaned}` : p.cleaned));
  }
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : path.slice(0, i);
}
