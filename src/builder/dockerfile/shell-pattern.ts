/**
 * The shell patterns of `${v#p}`, `${v%p}` and `${v/p/r}`: `*` any run of characters,
 * `?` one character, `\` escapes `*`, `?` and `\` (and is dropped before `}` and `/`,
 * which it escaped inside the braces). No bracket expressions, as buildkit.
 */

const REGEX_SPECIAL = new Set(['[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$']);

/** The pattern as a RegExp; greedy `*` matches the longest run, else the shortest. */
export function shellPatternToRegex(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  const chars = Array.from(pattern);
  let out = anchored ? '^' : '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '*') out += greedy ? '.*' : '.*?';
    else if (c === '?') out += '.';
    else if (c === '\\') {
      const next = chars[i + 1];
      if (next === '}' || next === '/') continue;
      if (next !== '*' && next !== '?' && next !== '\\') {
        throw new Error(`invalid escape '\\${next ?? ''}'`);
      }
      out += '\\' + next;
      i++;
    } else out += REGEX_SPECIAL.has(c) ? '\\' + c : c;
  }
  return new RegExp(out, 'u');
}

/** `${v#p}` / `${v##p}`: value without the shortest (longest when greedy) matching prefix. */
export function trimPatternPrefix(pattern: string, value: string, greedy: boolean): string {
  const m = compile(pattern, greedy).exec(value);
  return m ? value.slice(m.index + m[0].length) : value;
}

/** `${v%p}` / `${v%%p}`: reversed search space and pattern turn the suffix into a prefix. */
export function trimPatternSuffix(pattern: string, value: string, greedy: boolean): string {
  const reversed = trimPatternPrefix(reversePattern(pattern), reverse(value), greedy);
  return reverse(reversed);
}

function compile(pattern: string, greedy: boolean): RegExp {
  try {
    return shellPatternToRegex(pattern, greedy, true);
  } catch (e) {
    throw new Error(`invalid pattern (${pattern}) in substitution: ${(e as Error).message}`);
  }
}

function reverse(s: string): string {
  return Array.from(s).reverse().join('');
}

/** Reverses a pattern keeping each escape before the character it escapes (`a\*c` -> `c\*a`). */
function reversePattern(pattern: string): string {
  const chars = Array.from(pattern);
  const out: string[] = new Array(chars.length);
  const last = chars.length - 1;
  for (let i = 0; i <= last; ) {
    if (chars[i] === '\\' && i !== last) {
      out[last - i - 1] = '\\';
      out[last - i] = chars[i + 1];
      i += 2;
    } else {
      out[last - i] = chars[i];
      i++;
    }
  }
  return out.join('');
}
