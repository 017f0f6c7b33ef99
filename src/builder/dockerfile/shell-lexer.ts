/**
 * Shell word processing as Docker's builder does it (buildkit's shell.Lex): variable
 * expansion (`$v`, `${v}`, `${v:-w}`, `${v-w}`, `${v:+w}`, `${v+w}`, `${v:?msg}`, `${v?msg}`,
 * and buildkit's `${v#p}`, `${v%p}`, `${v/p/r}`), single and double quotes, and the escape
 * token. Errors are plain Errors: callers add the Dockerfile line.
 */
import type { EnvLookup, ExpandOptions, ExpandResult } from './types';
import { shellPatternToRegex, trimPatternPrefix, trimPatternSuffix } from './shell-pattern';

/** The lexer's switches (buildkit's Lex fields). */
export interface LexOptions {
  escapeToken: string;
  /** Keep quote characters in the output. */
  rawQuotes?: boolean;
  /** Keep escape tokens in the output. */
  rawEscapes?: boolean;
  /** Quotes are ordinary characters. */
  skipProcessQuotes?: boolean;
  /** Leave references to unset variables as written. */
  skipUnsetEnv?: boolean;
}

const EOF = '';
const isSpace = (c: string) => c !== EOF && /^\p{White_Space}$/u.test(c);
const isLetter = (c: string) => c !== EOF && /^\p{L}$/u.test(c);
const isDigit = (c: string) => c !== EOF && /^\p{Nd}$/u.test(c);
const SPACE_RUN = /(\p{White_Space}+)/u;
const isSpecialParam = (c: string) => '@*#?-$!0'.includes(c) && c !== EOF;

/** Collects the words of ProcessWords: unquoted whitespace from variables splits words. */
class Words {
  private buf = '';
  private inWord = false;
  readonly words: string[] = [];
  addChar(c: string): void {
    if (isSpace(c)) {
      if (this.inWord && this.buf.length) {
        this.words.push(this.buf);
        this.buf = '';
        this.inWord = false;
      }
    } else this.addRaw(c);
  }
  addRaw(s: string): void {
    this.buf += s;
    this.inWord = true;
  }
  /** As addChar for each character, a run of spaces at a time (nested substitutions hand up long strings). */
  addString(s: string): void {
    for (const part of s.split(SPACE_RUN)) {
      if (SPACE_RUN.test(part)) this.addChar(' ');
      else if (part) this.addRaw(part);
    }
  }
  finish(): string[] {
    if (this.buf.length) this.words.push(this.buf);
    this.buf = '';
    return this.words;
  }
}

/** One pass over one word. */
class ShellWord {
  private pos = 0;
  private readonly chars: string[];
  readonly matched = new Set<string>();
  readonly unmatched = new Set<string>();

  constructor(word: string, private readonly lookup: EnvLookup, private readonly opts: LexOptions) {
    this.chars = Array.from(word);
  }

  private peek(): string {
    return this.pos < this.chars.length ? this.chars[this.pos] : EOF;
  }
  private next(): string {
    return this.pos < this.chars.length ? this.chars[this.pos++] : EOF;
  }

  /** Processes up to `stop` (consumed) or the end of input when stop is EOF. */
  processStopOn(stop: string, rawEscapes: boolean): { value: string; words: string[] } {
    const esc = this.opts.escapeToken;
    const words = new Words();
    let result = '';
    while (this.peek() !== EOF) {
      const c = this.peek();
      if (stop !== EOF && c === stop) {
        this.next();
        return { value: result, words: words.finish() };
      }
      const special = this.special(c, rawEscapes);
      if (special !== undefined) {
        result += special;
        if (c === '$') words.addString(special);
        else words.addRaw(special);
        continue;
      }
      let ch = this.next();
      if (ch === esc) {
        if (rawEscapes) {
          words.addRaw(ch);
          result += ch;
        }
        ch = this.next();
        if (ch === EOF) break;
        words.addRaw(ch);
      } else words.addChar(ch);
      result += ch;
    }
    if (stop !== EOF) throw new Error(`unexpected end of statement while looking for matching ${stop}`);
    return { value: result, words: words.finish() };
  }

  /** The text of a special construct starting at c, or undefined for an ordinary char. */
  private special(c: string, rawEscapes: boolean): string | undefined {
    if (c === '$') return this.processDollar();
    if (c === '<') return this.processPossibleHeredoc();
    if (this.opts.skipProcessQuotes) return undefined;
    if (c === "'") return this.processSingleQuote();
    if (c === '"') return this.processDoubleQuote(rawEscapes);
    return undefined;
  }

  private processSingleQuote(): string {
    const raw = this.opts.rawQuotes;
    let out = raw ? this.next() : (this.next(), '');
    for (;;) {
      const c = this.next();
      if (c === EOF) throw new Error('unexpected end of statement while looking for matching single-quote');
      if (c === "'") return raw ? out + c : out;
      out += c;
    }
  }

  private processDoubleQuote(rawEscapes: boolean): string {
    const raw = this.opts.rawQuotes;
    const esc = this.opts.escapeToken;
    let out = raw ? this.next() : (this.next(), '');
    for (;;) {
      const p = this.peek();
      if (p === EOF) throw new Error('unexpected end of statement while looking for matching double-quote');
      if (p === '"') {
        const c = this.next();
        return raw ? out + c : out;
      }
      if (p === '$') {
        out += this.processDollar();
        continue;
      }
      let c = this.next();
      if (c === esc) {
        if (rawEscapes) out += c;
        const n = this.peek();
        if (n === EOF) continue;
        if (n === '"' || n === '$' || n === esc) c = this.next();
      }
      out += c;
    }
  }

  private processPossibleHeredoc(): string {
    this.next();
    if (this.peek() !== '<') return '<';
    this.next();
    let space = '';
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === '\r') space += this.next();
    return '<<' + space;
  }

  private getEnv(name: string): string | undefined {
    const v = this.lookup(name);
    (v === undefined ? this.unmatched : this.matched).add(name);
    return v;
  }

  private processName(): string {
    let name = '';
    while (this.peek() !== EOF) {
      const c = this.peek();
      if (name === '' && isDigit(c)) {
        while (isDigit(this.peek())) name += this.next();
        return name;
      }
      if (name === '' && isSpecialParam(c)) return this.next();
      if (!isLetter(c) && !isDigit(c) && c !== '_') break;
      name += this.next();
    }
    return name;
  }

  private processDollar(): string {
    this.next();
    const skipUnset = !!this.opts.skipUnsetEnv;
    if (this.peek() !== '{') {
      const name = this.processName();
      if (name === '') return '$';
      const v = this.getEnv(name);
      if (v === undefined && skipUnset) return '$' + name;
      return v ?? '';
    }
    this.next();
    const first = this.peek();
    if (first === EOF) throw new Error("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new Error('syntax error: bad substitution');
    const name = this.processName();
    let ch = this.next();
    if (ch === '}') {
      const v = this.getEnv(name);
      if (v === undefined && skipUnset) return `\${${name}}`;
      return v ?? '';
    }
    if (ch === '/') return this.processReplace(name);
    let modifier = ch;
    const nullIsUnset = ch === ':';
    if (nullIsUnset) {
      ch = this.next();
      modifier += ch;
    }
    if (ch === EOF) throw new Error("syntax error: missing '}'");
    if (!'+-?#%'.includes(ch) || (nullIsUnset && (ch === '#' || ch === '%'))) {
      if (nullIsUnset) this.skipWord();
      throw new Error(`unsupported modifier (${modifier}) in substitution`);
    }
    const word = this.wordUntil('}', ch === '#' || ch === '%', "syntax error: missing '}'");
    const value = this.getEnv(name);
    if (value === undefined && skipUnset) return `\${${name}${modifier}${word}}`;
    const unset = value === undefined || (nullIsUnset && value === '');
    switch (ch) {
      case '-':
        return unset ? word : value!;
      case '+':
        return unset ? '' : word;
      case '?':
        if (value === undefined) throw new Error(`${name}: ${word || 'is not allowed to be unset'}`);
        if (unset) throw new Error(`${name}: ${word || 'is not allowed to be empty'}`);
        return value;
      default: {
        const greedy = word.startsWith(ch);
        const pattern = greedy ? word.slice(1) : word;
        return ch === '%' ? trimPatternSuffix(pattern, value ?? '', greedy) : trimPatternPrefix(pattern, value ?? '', greedy);
      }
    }
  }

  /** `${v/p/r}` and `${v//p/r}`: the first (or every) match of p replaced by r. */
  private processReplace(name: string): string {
    const all = this.peek() === '/';
    if (all) this.next();
    const pattern = this.wordUntil('/', true, "syntax error: missing '/' in ${}");
    const replacement = this.wordUntil('}', true, "syntax error: missing '}'");
    const value = this.getEnv(name);
    if (value === undefined && this.opts.skipUnsetEnv) return `\${${name}/${pattern}/${replacement}}`;
    let re: RegExp;
    try {
      re = shellPatternToRegex(pattern, true, false);
    } catch (e) {
      throw new Error(`invalid pattern (${pattern}) in substitution: ${(e as Error).message}`);
    }
    if (all) re = new RegExp(re.source, 'gu');
    return (value ?? '').replace(re, () => replacement);
  }

  /** A nested word up to `stop`; at the end of input, the error is `missing`. */
  private wordUntil(stop: string, rawEscapes: boolean, missing: string): string {
    try {
      return this.processStopOn(stop, rawEscapes).value;
    } catch (e) {
      if (this.peek() === EOF) throw new Error(missing);
      throw e;
    }
  }

  /** Consumes the rest of a `${...}` after an unsupported modifier. */
  private skipWord(): void {
    try {
      this.processStopOn('}', false);
    } catch {
      /* the modifier error is the one to report */
    }
  }
}

/** Runs the lexer; errors are `failed to process "<word>": <reason>`. */
export function lex(word: string, lookup: EnvLookup, opts: LexOptions): ExpandResult & { words: string[] } {
  const sw = new ShellWord(word, lookup, opts);
  try {
    const { value, words } = sw.processStopOn(EOF, !!opts.rawEscapes);
    return { value, words, matched: sw.matched, unmatched: sw.unmatched };
  } catch (e) {
    // Go's lexer has no depth limit; this one recurses per nested substitution.
    const tooDeep = e instanceof RangeError && /call stack/.test(e.message);
    throw new Error(`failed to process "${word}": ${tooDeep ? 'substitutions nested too deeply' : (e as Error).message}`);
  }
}

const lexOptions = (opts?: ExpandOptions): LexOptions => ({
  escapeToken: opts?.escapeToken ?? '\\',
  skipUnsetEnv: opts?.skipUnsetEnv,
});

/** Expands variables in one word, removing quotes and escapes (buildkit ProcessWord). */
export function expand(word: string, lookup: EnvLookup, opts?: ExpandOptions): string {
  return lex(word, lookup, lexOptions(opts)).value;
}

/** expand, also reporting which variable names were found set and unset. */
export function expandWithMatches(word: string, lookup: EnvLookup, opts?: ExpandOptions): ExpandResult {
  const { value, matched, unmatched } = lex(word, lookup, lexOptions(opts));
  return { value, matched, unmatched };
}

/** Expands, then splits into words on unquoted whitespace (buildkit ProcessWords). */
export function processWords(word: string, lookup: EnvLookup, opts?: ExpandOptions): string[] {
  return lex(word, lookup, lexOptions(opts)).words;
}
