/**
 * The word scanner under ENV/LABEL/ARG arguments and instruction flags (buildkit's
 * parseWords and extractBuilderFlags): words end at unquoted whitespace; quotes group.
 * Raw mode keeps quotes and escape tokens in the words (expansion removes them later) and
 * the escape token does nothing inside single quotes; cooked mode drops them.
 */

export interface ScannedWord {
  word: string;
  /** Index (in code points) of the word's first character, and of the character after it. */
  start: number;
  end: number;
}

const isSpace = (c: string) => /^\p{White_Space}$/u.test(c);

/** The words of `chars`, lazily (a caller may stop early and take the rest as text). */
export function* scanWords(chars: string[], escapeToken: string, raw: boolean): Generator<ScannedWord> {
  let word = '';
  let start = 0;
  let blankOK = false;
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let quote = '';
  for (let i = 0; i <= chars.length; i++) {
    if (phase === 'spaces') {
      if (i === chars.length) return;
      if (isSpace(chars[i])) continue;
      phase = 'word';
      start = i;
    }
    if (i === chars.length) {
      if (blankOK || word.length > 0) yield { word, start, end: i };
      return;
    }
    let c = chars[i];
    if (phase === 'word') {
      if (isSpace(c)) {
        if (blankOK || word.length > 0) yield { word, start, end: i };
        phase = 'spaces';
        word = '';
        blankOK = false;
        continue;
      }
      if (c === "'" || c === '"') {
        quote = c;
        blankOK = true;
        phase = 'quote';
        if (!raw) continue;
      } else if (c === escapeToken) {
        if (i + 1 === chars.length) continue;
        if (raw) word += c;
        c = chars[++i];
      }
      word += c;
      continue;
    }
    if (c === quote) {
      phase = 'word';
      if (!raw) continue;
    } else if (c === escapeToken && (!raw || quote !== "'")) {
      if (i + 1 === chars.length) {
        phase = 'word';
        continue;
      }
      if (raw) word += c;
      c = chars[++i];
    }
    word += c;
  }
}
