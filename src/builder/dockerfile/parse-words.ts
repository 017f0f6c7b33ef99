/**
 * Word splitting for ENV, LABEL and ARG lines (buildkit's parseWords): words end at
 * unquoted whitespace; quotes and escape tokens are kept in the words (the executor's
 * expansion removes them).
 */

const isSpace = (c: string) => /^\p{White_Space}$/u.test(c);

export function parseWords(rest: string, escapeToken: string): string[] {
  const chars = Array.from(rest);
  const words: string[] = [];
  let word = '';
  let blankOK = false;
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let quote = '';
  for (let i = 0; i <= chars.length; i++) {
    const end = i === chars.length;
    let c = end ? '' : chars[i];
    if (phase === 'spaces') {
      if (end) break;
      if (isSpace(c)) continue;
      phase = 'word';
    }
    if (end) {
      if (blankOK || word.length > 0) words.push(word);
      break;
    }
    if (phase === 'word') {
      if (isSpace(c)) {
        phase = 'spaces';
        if (blankOK || word.length > 0) words.push(word);
        word = '';
        blankOK = false;
        continue;
      }
      if (c === "'" || c === '"') {
        quote = c;
        blankOK = true;
        phase = 'quote';
      }
      if (c === escapeToken) {
        if (i + 1 === chars.length) continue;
        word += c;
        c = chars[++i];
      }
      word += c;
      continue;
    }
    // inside quotes: the escape token works except in single quotes
    if (c === quote) phase = 'word';
    if (c === escapeToken && quote !== "'") {
      if (i + 1 === chars.length) {
        phase = 'word';
        continue;
      }
      word += c;
      c = chars[++i];
    }
    word += c;
  }
  return words;
}
