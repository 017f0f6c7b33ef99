/**
 * Compose's variable interpolation: `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`, `${VAR:?err}`,
 * `${VAR?err}`, `${VAR:+r}`, `${VAR+r}` and `$$` for a literal `$`. Defaults and
 * replacements are themselves interpolated. Applied to every string value (never to keys).
 */

export type Lookup = (name: string) => string | undefined;

/** An interpolation failure; `path` is filled in by `interpolateTree`. */
export class InterpolationError extends Error {}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

/** The matching `}` of the `${` whose body starts at `start`, honouring nested braces. */
function closingBrace(s: string, start: number): number {
  let depth = 1;
  for (let i = start; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '{') { depth++; i++; } else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function braced(body: string, lookup: Lookup, onMissing: (name: string) => void): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw new InterpolationError(`invalid interpolation format for "\${${body}}"`);
  const rest = body.slice(name.length);
  const value = lookup(name);
  if (rest === '') {
    if (value === undefined) onMissing(name);
    return value ?? '';
  }
  const m = /^(:?)([-?+])([\s\S]*)$/.exec(rest);
  if (!m) throw new InterpolationError(`invalid interpolation format for "\${${body}}"`);
  const [, colon, op, arg] = m;
  const unset = colon ? !value : value === undefined;
  const word = () => interpolate(arg, lookup, onMissing);
  if (op === '-') return unset ? word() : value!;
  if (op === '+') return unset ? '' : word();
  if (unset) {
    const msg = word();
    throw new InterpolationError(`required variable ${name} is missing a value${msg ? `: ${msg}` : ''}`);
  }
  return value!;
}

/** Interpolates one string. `onMissing` hears of variables that are unset and have no default. */
export function interpolate(s: string, lookup: Lookup, onMissing: (name: string) => void = () => {}): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '$') { out += c; continue; }
    const next = s[i + 1];
    if (next === '$') { out += '$'; i++; continue; }
    if (next === '{') {
      const end = closingBrace(s, i + 2);
      if (end < 0) throw new InterpolationError(`invalid interpolation format for "${s}"`);
      out += braced(s.slice(i + 2, end), lookup, onMissing);
      i = end;
      continue;
    }
    const name = NAME.exec(s.slice(i + 1))?.[0];
    if (!name) { out += '$'; continue; }
    const value = lookup(name);
    if (value === undefined) onMissing(name);
    out += value ?? '';
    i += name.length;
  }
  return out;
}

/** Interpolates every string in a parsed document; errors carry the dotted path. */
export function interpolateTree(node: unknown, lookup: Lookup, onMissing: (name: string) => void, path = ''): unknown {
  if (typeof node === 'string') {
    try { return interpolate(node, lookup, onMissing); } catch (err) {
      if (err instanceof InterpolationError) throw new InterpolationError(`${path || '.'}: ${err.message}`);
      throw err;
    }
  }
  if (Array.isArray(node)) return node.map((v, i) => interpolateTree(v, lookup, onMissing, `${path}[${i}]`));
  if (node && typeof node === 'object') {
    // fromEntries defines keys, so a key `__proto__` stays a key (an assignment would set the prototype).
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateTree(v, lookup, onMissing, path ? `${path}.${k}` : k)]));
  }
  return node;
}
