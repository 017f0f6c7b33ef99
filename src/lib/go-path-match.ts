/**
 * Go's filepath.Match as a RegExp, for COPY/ADD wildcards (`*` and `?` stay within one path
 * element, `[...]` classes with `^` negation, `\` escapes).
 */
export function goMatchPattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) re += literal(pattern[++i]);
    else if (c === '[') {
      let j = i + 1;
      let cls = '[';
      if (pattern[j] === '^') { cls += '^'; j++; }
      for (; j < pattern.length && (pattern[j] !== ']' || j === i + 1); j++) {
        if (pattern[j] === '\\' && j + 1 < pattern.length) cls += `\\${pattern[++j]}`;
        else cls += pattern[j] === '[' ? '\\[' : pattern[j];
      }
      if (j >= pattern.length) return /(?!)/; // ErrBadPattern: matches nothing
      re += `${cls}]`;
      i = j;
    } else re += literal(c);
  }
  return new RegExp(`^${re}$`);
}

function literal(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Whether a COPY source has wildcards (an escaped character never counts). */
export function hasWildcards(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === '*' || p[i] === '?' || p[i] === '[') return true;
  }
  return false;
}
