import { cleanPath } from './pattern-matcher';

/**
 * The patterns of a `.dockerignore` file as moby/patternmatcher's ignorefile.ReadAll reads
 * them: a UTF-8 BOM dropped, `#` lines skipped, each pattern trimmed and cleaned, a leading
 * `/` removed (the context root is implied), `!` kept in front.
 */
export function readIgnoreFile(text: string): string[] {
  const out: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    let p = line.trim();
    if (p === '') continue;
    const invert = p[0] === '!';
    if (invert) p = p.slice(1).trim();
    if (p.length > 0) {
      p = cleanPath(p);
      if (p.length > 1 && p[0] === '/') p = p.slice(1);
    }
    out.push(invert ? `!${p}` : p);
  }
  return out;
}
