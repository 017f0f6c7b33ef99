/**
 * A subset of Go's text/template, enough for docker's `--format`: fields (`.A.B`), method
 * fields called with arguments (`.Label "x"`), pipelines, variables, `if/else if/else`,
 * `range` (with `$k, $v :=`), `with`, and docker's functions (json, join, split, upper,
 * lower, title, truncate, pad, printf, index, len, eq/ne/lt/le/gt/ge, and/or/not).
 * Values print as Go's `%v` does (`[a b]`, `map[k:v]`, `<no value>`).
 */
import { formatGoValue, goSprintf, goJson, truthy } from './go-values';

export class TemplateError extends Error {}

/**
 * The Go type a context object stands for, named in "can't evaluate field" errors
 * (`*formatter.ContainerContext`); a context carrying it is a struct, not a map.
 */
export const GO_TYPE = Symbol.for('berth.goType');

type Operand =
  | { kind: 'field'; path: string[]; base: 'dot' | string; pos?: string }
  | { kind: 'lit'; value: unknown }
  | { kind: 'ident'; name: string }
  | { kind: 'pipe'; pipe: Pipeline };
type Command = Operand[];
interface Pipeline { decl: string[]; cmds: Command[]; src: string }
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipeline }
  | { kind: 'if' | 'with'; pipe: Pipeline; then: Node[]; else: Node[] }
  | { kind: 'range'; pipe: Pipeline; body: Node[]; else: Node[] };

const ACTION = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;

/** Parses a template once; execute it as often as needed. */
export class GoTemplate {
  private readonly nodes: Node[];
  constructor(readonly source: string) {
    this.nodes = depthLimited(() => parse(source));
  }
  execute(data: unknown): string {
    const out: string[] = [];
    depthLimited(() => run(this.nodes, { dot: data, root: data, vars: new Map([['$', data]]) }, out));
    return out.join('');
  }
}

/** Nesting deeper than this engine recurses (Go's parser stops parentheses at 10000): Go's error, not a RangeError. */
function depthLimited<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof RangeError && /call stack/.test(err.message)) throw new TemplateError('template: :1: max expression depth exceeded');
    throw err;
  }
}

export function renderTemplate(source: string, data: unknown): string {
  return new GoTemplate(source).execute(data);
}

interface Tok { t: 'str' | 'num' | 'field' | 'var' | 'ident' | 'pipe' | 'open' | 'close' | 'comma' | 'decl'; v: string; at: number }

function lex(src: string, base = 0): Tok[] {
  const toks: Tok[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|(-?\d+(?:\.\d+)?)|(\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)|((?:\.[A-Za-z0-9_]+)+|\.)|([A-Za-z_][A-Za-z0-9_]*)|(\|)|(\()|(\))|(,)|(:?=))/y;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(re.lastIndex))) break;
    const at = re.lastIndex;
    m = re.exec(src);
    if (!m) throw new TemplateError(`template: :1: unexpected "${src.slice(at).trim()[0]}" in command`);
    const tokAt = base + at + (m[0].length - m[0].trimStart().length);
    const n = toks.length;
    if (m[1]) toks.push({ at: 0, t: 'str', v: unquote(m[1]) });
    else if (m[2]) toks.push({ at: 0, t: 'str', v: m[2].slice(1, -1) });
    else if (m[3]) toks.push({ at: 0, t: 'num', v: m[3] });
    else if (m[4]) toks.push({ at: 0, t: 'var', v: m[4] });
    else if (m[5]) toks.push({ at: 0, t: 'field', v: m[5] });
    else if (m[6]) toks.push({ at: 0, t: 'ident', v: m[6] });
    else if (m[7]) toks.push({ at: 0, t: 'pipe', v: '|' });
    else if (m[8]) toks.push({ at: 0, t: 'open', v: '(' });
    else if (m[9]) toks.push({ at: 0, t: 'close', v: ')' });
    else if (m[10]) toks.push({ at: 0, t: 'comma', v: ',' });
    else if (m[11]) toks.push({ at: 0, t: 'decl', v: m[11] });
    for (let k = n; k < toks.length; k++) toks[k].at = tokAt;
  }
  return toks;
}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };
const invalid = () => new TemplateError('template: :1: invalid syntax');

/** Go's strconv.Unquote of a `"..."` literal: `\xHH` and octal escapes are bytes, `\u`/`\U` runes. */
function unquote(lit: string): string {
  if (lit.includes('\n')) throw new TemplateError('template: :1: unterminated quoted string');
  const bytes: number[] = [];
  for (const m of lit.slice(1, -1).matchAll(/\\(?:x([0-9a-fA-F]{2})|([0-7]{3})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))|([^\\]+)/gs)) {
    const [, hex, oct, u4, u8, c, text] = m;
    if (text !== undefined) bytes.push(...Buffer.from(text));
    else if (hex !== undefined) bytes.push(parseInt(hex, 16));
    else if (oct !== undefined) {
      if (parseInt(oct, 8) > 0xff) throw invalid();
      bytes.push(parseInt(oct, 8));
    } else if (c !== undefined) {
      if (!ESCAPES[c]) throw invalid();
      bytes.push(ESCAPES[c].charCodeAt(0));
    } else {
      const rune = parseInt(u4 ?? u8, 16);
      if (rune > 0x10ffff || (rune >= 0xd800 && rune < 0xe000)) throw invalid();
      bytes.push(...Buffer.from(String.fromCodePoint(rune)));
    }
  }
  return Buffer.from(bytes).toString();
}

function parsePipeline(src: string, base = 0, where: (at: number) => string = () => '1'): Pipeline {
  const toks = lex(src, base);
  let i = 0;
  const decl: string[] = [];
  const declAt = toks.findIndex((t) => t.t === 'decl');
  if (declAt > 0 && toks.slice(0, declAt).every((t) => t.t === 'var' || t.t === 'comma')) {
    decl.push(...toks.slice(0, declAt).filter((t) => t.t === 'var').map((t) => t.v));
    i = declAt + 1;
  }
  const parse = (stopAtClose: boolean): Command[] => {
    const cmds: Command[] = [[]];
    for (; i < toks.length; i++) {
      const t = toks[i];
      const cmd = cmds[cmds.length - 1];
      if (t.t === 'pipe') { cmds.push([]); continue; }
      if (t.t === 'close') { if (stopAtClose) return cmds; throw new TemplateError('template: :1: unexpected ")"'); }
      if (t.t === 'open') {
        i++;
        const inner = parse(true);
        if (inner.some((c) => c.length === 0)) throw new TemplateError('template: :1: missing value for parenthesized pipeline');
        cmd.push({ kind: 'pipe', pipe: { decl: [], cmds: inner, src } });
        continue;
      }
      if (t.t === 'str') cmd.push({ kind: 'lit', value: t.v });
      else if (t.t === 'num') cmd.push({ kind: 'lit', value: Number(t.v) });
      else if (t.t === 'field') cmd.push({ kind: 'field', base: 'dot', path: t.v === '.' ? [] : t.v.slice(1).split('.'), pos: where(t.at) });
      else if (t.t === 'var') { const [name, ...path] = t.v.split('.'); cmd.push({ kind: 'field', base: name, path }); }
      else if (t.t === 'ident') {
        if (t.v === 'true' || t.v === 'false') cmd.push({ kind: 'lit', value: t.v === 'true' });
        else if (t.v === 'nil') cmd.push({ kind: 'lit', value: null });
        else cmd.push({ kind: 'ident', name: t.v });
      } else throw new TemplateError(`template: :1: unexpected "${t.v}" in command`);
    }
    if (stopAtClose) throw new TemplateError('template: :1: unclosed left paren');
    return cmds;
  };
  const cmds = parse(false);
  if (cmds.some((c) => c.length === 0)) throw new TemplateError(`template: :1: missing value for command`);
  return { decl, cmds, src };
}

function parse(source: string): Node[] {
  // Tokenise into text and actions, applying {{- and -}} trimming.
  const parts: ({ text: string } | { action: string; at: number })[] = [];
  /** Go's `line:col` of a byte offset (col counted from 0). */
  const where = (at: number) => {
    const line = source.slice(0, at).split('\n').length;
    return `${line}:${at - (source.lastIndexOf('\n', at - 1) + 1)}`;
  };
  let last = 0;
  let trimNext = false;
  for (const m of source.matchAll(ACTION)) {
    let text = source.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (m[1]) text = text.replace(/\s+$/, '');
    if (text) parts.push({ text });
    parts.push({ action: m[2].trim(), at: m.index! + 2 + (m[1]?.length ?? 0) + (m[2].length - m[2].trimStart().length) });
    trimNext = !!m[3];
    last = m.index! + m[0].length;
  }
  let tail = source.slice(last);
  if (trimNext) tail = tail.replace(/^\s+/, '');
  const open = tail.indexOf('{{');
  if (open >= 0) {
    const line = source.slice(0, last + open).split('\n').length;
    const bad = /[}]/.exec(tail.slice(open + 2));
    throw new TemplateError(bad ? `template: :${line}: bad character U+007D '}'` : `template: :${line}: unclosed action`);
  }
  if (tail) parts.push({ text: tail });

  let pos = 0;
  const block = (terminators: string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (pos < parts.length) {
      const p = parts[pos++];
      if ('text' in p) { nodes.push({ kind: 'text', text: p.text }); continue; }
      const a = p.action;
      const at = p.at;
      if (a.startsWith('/*')) continue;
      const word = a.split(/\s+/)[0];
      if (word === 'end' || word === 'else') {
        if (!terminators.includes(word)) throw new TemplateError(`template: :1: unexpected {{${word}}}`);
        return { nodes, end: a };
      }
      if (word === 'if' || word === 'with' || word === 'range') nodes.push(control(word, a.slice(word.length), at + word.length));
      else nodes.push({ kind: 'action', pipe: parsePipeline(a, at, where) });
    }
    if (terminators.length) throw new TemplateError('template: :1: unexpected EOF');
    return { nodes, end: '' };
  };
  const control = (word: 'if' | 'with' | 'range', rest: string, at = 0): Node => {
    const pipe = parsePipeline(rest, at, where);
    const body = block(['end', 'else']);
    let elseNodes: Node[] = [];
    if (body.end.startsWith('else')) {
      const elseRest = body.end.slice(4).trim();
      if (elseRest.startsWith('if ')) elseNodes = [control('if', elseRest.slice(2))];
      else elseNodes = block(['end']).nodes;
    }
    return word === 'range'
      ? { kind: 'range', pipe, body: body.nodes, else: elseNodes }
      : { kind: word, pipe, then: body.nodes, else: elseNodes };
  };
  return block([]).nodes;
}

/** Go 1.22's range over an int: 0..n-1, nothing when n <= 0. */
function* upTo(n: number): Generator<[number, number]> {
  for (let i = 0; i < n; i++) yield [i, i];
}

interface Scope { dot: unknown; root: unknown; vars: Map<string, unknown> }

function run(nodes: Node[], s: Scope, out: string[]): void {
  for (const n of nodes) {
    switch (n.kind) {
      case 'text': out.push(n.text); break;
      case 'action': {
        const v = evalPipe(n.pipe, s);
        if (n.pipe.decl.length === 0) out.push(formatGoValue(v));
        break;
      }
      case 'if': {
        const v = evalPipe(n.pipe, s);
        run(truthy(v) ? n.then : n.else, s, out);
        break;
      }
      case 'with': {
        const v = evalPipe(n.pipe, s);
        if (truthy(v)) run(n.then, { ...s, dot: v }, out); else run(n.else, s, out);
        break;
      }
      case 'range': {
        const v = evalPipe({ ...n.pipe, decl: [] }, s);
        if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new TemplateError(`template: :1: range can't iterate over ${formatGoValue(v)}`);
        const entries: Iterable<[unknown, unknown]> = Array.isArray(v) ? v.map((e, i) => [i, e])
          : v && typeof v === 'object' ? Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])
            : typeof v === 'number' ? upTo(v) : [];
        let ran = false;
        for (const [k, e] of entries) {
          ran = true;
          const vars = new Map(s.vars);
          if (n.pipe.decl.length === 1) vars.set(n.pipe.decl[0], e);
          if (n.pipe.decl.length === 2) { vars.set(n.pipe.decl[0], k); vars.set(n.pipe.decl[1], e); }
          run(n.body, { ...s, dot: e, vars }, out);
        }
        if (!ran) run(n.else, s, out);
        break;
      }
    }
  }
}

function evalPipe(p: Pipeline, s: Scope): unknown {
  let v: unknown;
  let first = true;
  for (const cmd of p.cmds) {
    v = evalCommand(cmd, s, first ? [] : [v]);
    first = false;
  }
  if (p.decl.length === 1) s.vars.set(p.decl[0], v);
  return v;
}

function evalCommand(cmd: Command, s: Scope, piped: unknown[]): unknown {
  const [head, ...rest] = cmd;
  const args = () => [...rest.map((o) => evalOperand(o, s)), ...piped];
  if (head.kind === 'ident') return call(head.name, args);
  if (head.kind === 'field') return resolveField(head, s, args());
  if (rest.length || piped.length) throw new TemplateError(`template: :1: can't give argument to non-function ${formatGoValue(evalOperand(head, s))}`);
  return evalOperand(head, s);
}

function evalOperand(o: Operand, s: Scope): unknown {
  switch (o.kind) {
    case 'lit': return o.value;
    case 'field': return resolveField(o, s, []);
    case 'pipe': return evalPipe(o.pipe, s);
    case 'ident': return call(o.name, () => []);
  }
}

/** A function call; what it throws is Go's `error calling NAME: ...` (text/template recovers panics so). */
function call(name: string, args: () => unknown[]): unknown {
  const fn = Object.hasOwn(FUNCS, name) ? FUNCS[name] : undefined;
  if (!fn) throw new TemplateError(`template: :1: function "${name}" not defined`);
  const a = args();
  try {
    return fn(...a);
  } catch (err) {
    if (err instanceof TemplateError) throw err;
    throw new TemplateError(`template: :1: error calling ${name}: ${(err as Error).message}`, { cause: err });
  }
}

function resolveField(o: Extract<Operand, { kind: 'field' }>, s: Scope, args: unknown[]): unknown {
  let v: unknown;
  if (o.base === 'dot') v = s.dot;
  else {
    if (!s.vars.has(o.base)) throw new TemplateError(`template: :1: undefined variable "${o.base}"`);
    v = s.vars.get(o.base);
  }
  o.path.forEach((name, i) => {
    if (v === null || v === undefined) { v = undefined; return; }
    if (typeof v !== 'object') throw new TemplateError(`template: :1:2: executing "" at <.${o.path.slice(0, i + 1).join('.')}>: can't evaluate field ${name} in type ${typeof v}`);
    const obj = v as Record<string | symbol, unknown>;
    if (!Object.hasOwn(obj, name)) {
      const goType = obj[GO_TYPE];
      const why = goType ? `can't evaluate field ${name} in type ${String(goType)}` : `map has no entry for key "${name}"`;
      throw new TemplateError(`template: :${o.pos ?? '1:2'}: executing "" at <.${o.path.slice(0, i + 1).join('.')}>: ${why}`);
    }
    const next = obj[name];
    const isLast = i === o.path.length - 1;
    v = typeof next === 'function' ? (next as (...a: unknown[]) => unknown).apply(obj, isLast ? args : []) : next;
  });
  return v;
}

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v));
/** Go's strings.Repeat, with its panics. */
function repeat(s: string, count: number): string {
  if (count < 0) throw new Error('strings: negative Repeat count');
  if (s.length * count > 2 ** 28) throw new Error('strings: Repeat output length overflow');
  return s.repeat(count);
}
const cmp = (a: unknown, b: unknown) => (typeof a === 'string' && typeof b === 'string' ? a.localeCompare(b) : num(a) - num(b));
const str = (v: unknown) => (typeof v === 'string' ? v : formatGoValue(v));

/** A formatter context marshals as docker's contexts do: every field method called, keys sorted. */
function marshalContext(v: unknown): unknown {
  if (!v || typeof v !== 'object' || !(GO_TYPE in v)) return v;
  const obj = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj).sort()) {
    const f = obj[k];
    if (typeof f === 'function' && f.length > 0) continue;
    out[k] = typeof f === 'function' ? (f as () => unknown).call(obj) : f;
  }
  return out;
}

const FUNCS: Record<string, (...a: unknown[]) => unknown> = {
  json: (v) => goJson(marshalContext(v)),
  join: (list, sep) => (Array.isArray(list) ? list.map(str).join(str(sep)) : str(list)),
  split: (s, sep) => str(s).split(str(sep)),
  upper: (s) => str(s).toUpperCase(),
  lower: (s) => str(s).toLowerCase(),
  title: (s) => str(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  truncate: (s, n) => [...str(s)].slice(0, num(n)).join(''),
  pad: (s, before, after) => repeat(' ', num(before)) + str(s) + repeat(' ', num(after)),
  printf: (fmt, ...a) => goSprintf(str(fmt), a),
  print: (...a) => a.map(str).join(''),
  println: (...a) => a.map(str).join(' ') + '\n',
  len: (v) => (Array.isArray(v) || typeof v === 'string' ? v.length : v && typeof v === 'object' ? Object.keys(v).length : 0),
  index: (v, ...keys) => keys.reduce((acc: unknown, k) => {
    if (acc === null || acc === undefined) return undefined;
    if (typeof acc === 'object' && GO_TYPE in acc) throw new Error(`can't index item of type ${String((acc as Record<symbol, unknown>)[GO_TYPE])}`);
    return Object.hasOwn(acc, k as string) ? (acc as Record<string, unknown>)[k as string] : undefined;
  }, v),
  eq: (a, ...bs) => bs.some((b) => a === b),
  ne: (a, b) => a !== b,
  lt: (a, b) => cmp(a, b) < 0,
  le: (a, b) => cmp(a, b) <= 0,
  gt: (a, b) => cmp(a, b) > 0,
  ge: (a, b) => cmp(a, b) >= 0,
  and: (...a) => { for (const v of a) if (!truthy(v)) return v; return a[a.length - 1]; },
  or: (...a) => { for (const v of a) if (truthy(v)) return v; return a[a.length - 1]; },
  not: (v) => !truthy(v),
};
