/** How Go prints values: `%v`, `json.Marshal` (HTML-escaped), a small `fmt.Sprintf`. */

/** Go's truthiness for if/with: false, 0, nil, and empty strings, lists and maps are false. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** `fmt.Sprint(v)` for JSON-shaped values. */
export function formatGoValue(v: unknown, nested = false): string {
  if (v === undefined) return '<no value>';
  if (v === null) return nested ? '<nil>' : '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map((e) => formatGoValue(e, true)).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // A context's field methods are not data (Go prints a struct's fields, never its methods).
    const keys = Object.keys(o).filter((k) => typeof o[k] !== 'function').sort();
    return `map[${keys.map((k) => `${k}:${formatGoValue(o[k], true)}`).join(' ')}]`;
  }
  return String(v);
}

function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const s = String(n);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** `json.Marshal`: compact, with `<`, `>`, `&` escaped as Go does. */
export function goJson(v: unknown): string {
  const s = JSON.stringify(v === undefined ? null : v);
  return s.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const DIRECTIVE = /%([-0+ ]*)(\d+)?(?:\.(\d+))?([svdqtxf%])/g;

/** Go's parsenum gives up on a width or precision past 1e6 (one more digit read after it). */
function tooLarge(digits: string | undefined): boolean {
  let n = 0;
  for (const d of digits ?? '') {
    if (n > 1e6) return true;
    n = n * 10 + Number(d);
  }
  return false;
}

/** `toFixed` past its 100 digits: the extra digits are zeros. */
function fixed(n: number, prec: number): string {
  const s = n.toFixed(Math.min(prec, 100));
  return prec > 100 && Number.isFinite(n) ? s + '0'.repeat(prec - 100) : s;
}

/**
 * A `fmt.Sprintf` subset: %s %v %d %q %t %x %f %%, with flags `-`, `0` and a width. A width
 * or precision too large for Go ends the output with `%!(NOVERB)`, as Go does.
 */
export function goSprintf(fmt: string, args: unknown[]): string {
  const crazy = [...fmt.matchAll(DIRECTIVE)].find((m) => tooLarge(m[2]) || tooLarge(m[3]));
  if (crazy) return goSprintf(fmt.slice(0, crazy.index), args) + '%!(NOVERB)';
  let i = 0;
  return fmt.replace(DIRECTIVE, (_m, flags: string, width: string, prec: string, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) return `%!${verb}(MISSING)`;
    const a = args[i++];
    let s: string;
    switch (verb) {
      case 'd': s = String(Math.trunc(Number(a))); break;
      case 'q': s = JSON.stringify(typeof a === 'string' ? a : formatGoValue(a)); break;
      case 'x': s = typeof a === 'number' ? a.toString(16) : Buffer.from(String(a)).toString('hex'); break;
      case 'f': s = fixed(Number(a), prec === undefined ? 6 : Number(prec)); break;
      default: s = formatGoValue(a); if (prec !== undefined && verb === 's') s = s.slice(0, Number(prec));
    }
    const w = width ? Number(width) : 0;
    const len = [...s].length;
    if (len < w) {
      const fill = (flags.includes('0') && !flags.includes('-') ? '0' : ' ').repeat(w - len);
      s = flags.includes('-') ? s + ' '.repeat(w - len) : fill + s;
    }
    return s;
  });
}
