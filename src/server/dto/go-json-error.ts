/**
 * Why a request body is not JSON, in the words of Go's encoding/json decoder (its scanner's
 * messages), which dockerd answers with: `invalid character 'o' in literal null (expecting
 * 'u')`, `unexpected EOF`, `invalid character '}' looking for beginning of object key string`.
 * Called only once JSON.parse has refused the text, so it walks the bytes simply.
 */

type Frame = 'objectKey' | 'objectValue' | 'array';

/** Go's scanner limit on nesting. */
const MAX_DEPTH = 10_000;

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** Go's quoteChar: `'x'`, `'\''`, `'"'`, `'\x00'`. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const s = JSON.stringify(String.fromCharCode(c)).slice(1, -1);
  return `'${s.replace(/\\u00([0-9a-f]{2})/g, '\\x$1')}'`;
}

class SyntaxError_ extends Error {}

/** Whether brackets outside strings nest deeper than max. */
function deeperThan(body: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) { if (++depth > max) return true; }
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
const invalid = (c: number, context: string) => new SyntaxError_(`invalid character ${quoteChar(c)} ${context}`);

/**
 * Go's message for the first JSON value of body, or undefined when it decodes; moby 25's
 * `unexpected content after JSON` when more than white space follows that value.
 */
export function goJsonError(body: Buffer): string | undefined {
  const stack: Frame[] = [];
  let i = 0;
  let started = false;
  const peek = () => (i < body.length ? body[i] : -1);
  const eof = () => new SyntaxError_(started ? 'unexpected EOF' : 'EOF');
  const skip = () => { while (i < body.length && isSpace(body[i])) i++; };
  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      i++;
      const c = peek();
      if (c < 0) throw eof();
      if (c !== word.charCodeAt(k)) throw invalid(c, `in literal ${word} (expecting '${word[k]}')`);
    }
    i++;
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      const c = peek();
      if (c < 0) throw eof();
      i++;
      if (c === 0x22) return;
      if (c < 0x20) throw invalid(c, 'in string literal');
      if (c !== 0x5c) continue;
      const e = peek();
      if (e < 0) throw eof();
      i++;
      if (e === 0x75) {
        for (let k = 0; k < 4; k++) {
          const h = peek();
          if (h < 0) throw eof();
          if (!isHex(h)) throw invalid(h, 'in \\u hexadecimal character escape');
          i++;
        }
      } else if (!'bfnrt\\/"'.includes(String.fromCharCode(e))) throw invalid(e, 'in string escape code');
    }
  };
  const digits = (context: string) => {
    const c = peek();
    if (c < 0) throw eof();
    if (!isDigit(c)) throw invalid(c, context);
    while (isDigit(peek())) i++;
  };
  const number = () => {
    if (peek() === 0x2d) { i++; digits('in numeric literal'); i--; }
    if (peek() === 0x30) i++; else while (isDigit(peek())) i++;
    if (peek() === 0x2e) { i++; digits('after decimal point in numeric literal'); }
    if (peek() === 0x65 || peek() === 0x45) {
      i++;
      if (peek() === 0x2b || peek() === 0x2d) i++;
      digits('in exponent of numeric literal');
    }
  };
  /** One value; returns after it, at the next byte. */
  const value = (): void => {
    skip();
    const c = peek();
    if (c < 0) throw eof();
    started = true;
    if ((c === 0x7b || c === 0x5b) && stack.length >= MAX_DEPTH) throw new SyntaxError_('exceeded max depth');
    if (c === 0x7b) { i++; stack.push('objectKey'); return objectStart(); }
    if (c === 0x5b) {
      i++;
      skip();
      if (peek() === 0x5d) { i++; return; }
      stack.push('array');
      return afterValues();
    }
    if (c === 0x22) return string();
    if (c === 0x2d || isDigit(c)) return number();
    if (c === 0x74) return literal('true');
    if (c === 0x66) return literal('false');
    if (c === 0x6e) return literal('null');
    throw invalid(c, 'looking for beginning of value');
  };
  const key = () => {
    skip();
    const c = peek();
    if (c < 0) throw eof();
    if (c !== 0x22) throw invalid(c, 'looking for beginning of object key string');
    string();
    skip();
    const colon = peek();
    if (colon < 0) throw eof();
    if (colon !== 0x3a) throw invalid(colon, 'after object key');
    i++;
    stack[stack.length - 1] = 'objectValue';
  };
  const objectStart = (): void => {
    skip();
    if (peek() === 0x7d) { i++; stack.pop(); return; }
    key();
    return afterValues();
  };
  /** Values of the innermost array or object until it closes. */
  const afterValues = (): void => {
    for (;;) {
      value();
      skip();
      const c = peek();
      if (c < 0) throw eof();
      const top = stack[stack.length - 1];
      i++;
      if (top === 'array') {
        if (c === 0x5d) { stack.pop(); return; }
        if (c !== 0x2c) throw invalid(c, 'after array element');
      } else {
        if (c === 0x7d) { stack.pop(); return; }
        if (c !== 0x2c) throw invalid(c, 'after object key:value pair');
        key();
      }
    }
  };
  try {
    value();
  } catch (err) {
    if (err instanceof SyntaxError_) return err.message;
    // nesting deeper than this thread's stack: Go stops at MAX_DEPTH
    if (err instanceof RangeError) return deeperThan(body, MAX_DEPTH) ? 'exceeded max depth' : undefined;
    throw err;
  }
  skip();
  return i < body.length ? 'unexpected content after JSON' : undefined;
}
