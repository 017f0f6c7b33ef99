/**
 * Heredocs (`<<EOF`, `<<-EOF`, `3<<"EOF"`): finding them on an instruction line and
 * reading their bodies. A quoted delimiter (any part of it) turns expansion off; `<<-`
 * strips leading tabs from the body and the terminator line.
 */
import type { Heredoc } from './types';
import { lex } from './shell-lexer';

const HEREDOC = /^(\d*)<<(-?)\s*([^<]*)$/;
const noEnv = () => undefined;

/** The heredoc a word declares (`<<EOF`), or undefined when it is not one. */
export function parseHeredoc(word: string): Heredoc | undefined {
  const m = HEREDOC.exec(word);
  if (!m || m[3].length === 0) return undefined;
  const rest = m[3];
  const opts = { escapeToken: '\\', skipUnsetEnv: true };
  const words = lex(rest, noEnv, opts).words;
  if (words.length !== 1) return undefined;
  const rawWords = lex(rest, noEnv, { ...opts, rawQuotes: true }).words;
  const quotes = (s: string) => (s.match(/['"]/g) ?? []).length;
  return {
    name: words[0],
    fileDescriptor: m[1] ? Number(m[1]) : 0,
    expand: quotes(words[0]) === quotes(rawWords[0]),
    chomp: m[2] === '-',
    content: '',
  };
}

/** The heredocs a line declares, in order. A line that does not lex (an open quote) has none. */
export function heredocsFromLine(line: string): Heredoc[] {
  let words: string[];
  try {
    words = lex(line, noEnv, { escapeToken: '\\', rawQuotes: true, rawEscapes: true, skipUnsetEnv: true }).words;
  } catch {
    return [];
  }
  return words.map(parseHeredoc).filter((h): h is Heredoc => h !== undefined);
}

/** `<<-`: the body without the leading tabs of each line. */
export const chompHeredocContent = (s: string) => s.replace(/^\t+/gm, '');

/** A terminator line matches the delimiter (after tab stripping for `<<-`). */
export function isHeredocTerminator(line: string, heredoc: Heredoc): boolean {
  let candidate = line.replace(/[\r\n]+$/, '');
  if (heredoc.chomp) candidate = candidate.replace(/^\t+/, '');
  return candidate === heredoc.name;
}
