/** Splits an instruction line into keyword, `--flags` and the rest (buildkit's splitCommand). */
import { splitWhitespace } from './line-parsers';
import { scanWords } from './word-scanner';

export interface SplitCommand {
  cmd: string;
  flags: string[];
  args: string;
}

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
  for (const w of scanWords(chars, escapeToken, false)) {
    if (chars[w.start] !== '-' || chars[w.start + 1] !== '-') return { rest: chars.slice(w.start).join(''), flags };
    if (w.word === '--') return { rest: chars.slice(w.end).join(''), flags };
    flags.push(w.word);
  }
  return { rest: '', flags };
}
