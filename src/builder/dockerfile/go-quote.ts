/** Go's strconv.Quote, which buildkit's Node.Dump and its `%q` error messages use. */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const SHORT: Record<string, string> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v',
};

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** s in double quotes with Go's escapes: `\"`, `\\`, `\n`..., `\x00`, `\u00a0`, `\U0001f600`. */
export function goQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    if (c === '"' || c === '\\') out += '\\' + c;
    else if (PRINTABLE.test(c)) out += c;
    else if (SHORT[c]) out += SHORT[c];
    else {
      const cp = c.codePointAt(0)!;
      if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2);
      else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
      else if (cp < 0x10000) out += '\\u' + hex(cp, 4);
      else out += '\\U' + hex(cp, 8);
    }
  }
  return out + '"';
}
