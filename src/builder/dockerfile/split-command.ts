/** Splits an instruction line into keyword, `--flags` and the rest (buildkit's splitCommand). */
import { splitWhitespace } from './line-parsers';

export interface SplitCommand {
  cmd: string;
  flags: string[];
  args: string;
}

const isSpace = (c: string) => /^\p{White_Space}$/u.test(c);

export function splitCommand(line: string, escapeToken: string): SplitCommand {
  const parts = splitWhitespace(line.trim(), 2);
  if (parts.length < 2) return { cmd: parts[0], flags: [], args: '' };
  const { rest, flags } = extractBuilderFlags(parts[1], escapeToken);
  return { cmd: parts[0], flags, args: rest.trim() };
}

/**
 * The leading words that start with `--`, unquoted (quotes and the escape token work as
 * in a shell word); a lone `--` ends them. Returns the flags and the text after them.
 */
export function extractBuilderFlags(line: string, escapeToken: string): { rest: string; flags: string[] } {
  const chars = Array.from(line);
  const flags: string[] = [];
  let word = '';
  let blankOK = false;
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let quote = '';
  const restFrom = (i: number) => chars.slice(i).join('');
  for (let i = 0; i <= chars.length; i++) {
    const end = i === chars.length;
    let c = end ? '' : chars[i];
    if (phase === 'spaces') {
      if (end) break;
      if (isSpace(c)) continue;
      if (c !== '-' || chars[i + 1] !== '-') return { rest: restFrom(i), flags };
      phase = 'word';
    }
    if (end) {
      if (word !== '--' && (blankOK || word.length > 0)) flags.push(word);
      break;
    }
    if (phase === 'word') {
      if (isSpace(c)) {
        phase = 'spaces';
        if (word === '--') return { rest: restFrom(i), flags };
        if (blankOK || word.length > 0) flags.push(word);
        word = '';
        blankOK = false;
        continue;
      }
      if (c === "'" || c === '"') {
        quote = c;
        blankOK = true;
        phase = 'quote';
        continue;
      }
      if (c === escapeToken) {
        if (i + 1 === chars.length) continue;
        c = chars[++i];
      }
      word += c;
      continue;
    }
    if (c === quote) {
      phase = 'word';
      continue;
    }
    if (c === escapeToken) {
      if (i + 1 === chars.length) {
        phase = 'word';
        continue;
      }
      c = chars[++i];
    }
    word += c;
  }
  return { rest: '', flags };
}
