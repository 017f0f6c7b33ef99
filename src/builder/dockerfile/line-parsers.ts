/**
 * The argument parsers of the parse tree (buildkit's line_parsers.go): each turns the text
 * after an instruction's keyword and flags into its `next` chain. No variable expansion.
 */
import { InvalidArgument } from '../../errdefs';
import type { Node } from './types';
import { chain, newNode } from './node';
import { parseWords } from './parse-words';
import { parseJsonArray } from './json-args';
import { goQuote } from './go-quote';

/** A line parser's result: the argument chain and whether it was JSON (exec) form. */
export interface Parsed {
  next?: Node;
  json: boolean;
}
export type LineParser = (rest: string, escapeToken: string) => Parsed;

/** buildkit's reWhitespace: the separators of whitespace-delimited arguments. */
export const WHITESPACE = /[\t\v\f\r ]+/;

/** Splits like Go's regexp.Split(s, n): at most n parts when n > 0. */
export function splitWhitespace(s: string, n = -1): string[] {
  if (n < 0) return s.split(WHITESPACE);
  const m = WHITESPACE.exec(s);
  return m ? [s.slice(0, m.index), s.slice(m.index + m[0].length)] : [s];
}

/** Unknown instructions keep an empty argument (the instruction parser rejects them). */
export const parseIgnore: LineParser = () => ({ next: newNode(), json: false });

export const parseString: LineParser = (rest) => ({ next: rest === '' ? undefined : newNode({ value: rest }), json: false });

export const parseStringsWhitespaceDelimited: LineParser = (rest) =>
  ({ next: rest === '' ? undefined : chain(splitWhitespace(rest)), json: false });

/** `ARG a b=c`: one node per word. */
export const parseNameOrNameVal: LineParser = (rest, esc) => ({ next: chain(parseWords(rest, esc)), json: false });

export const parseMaybeJSON: LineParser = (rest) => {
  if (rest === '') return { json: false };
  const arr = parseJsonArray(rest);
  if (arr) return { next: chain(arr), json: true };
  return { next: newNode({ value: rest }), json: false };
};

export const parseMaybeJSONToList: LineParser = (rest, esc) => {
  const arr = parseJsonArray(rest);
  if (arr) return { next: chain(arr), json: true };
  return parseStringsWhitespaceDelimited(rest, esc);
};

/** HEALTHCHECK: the type word (CMD, NONE), then the command as parseMaybeJSON. */
export const parseHealthConfig: LineParser = (rest, esc) => {
  const sep = /^\S*/.exec(rest)![0].length;
  if (sep === 0) return { json: false };
  const cmd = parseMaybeJSON(rest.slice(sep).replace(/^\s+/, ''), esc);
  return { next: newNode({ value: rest.slice(0, sep), next: cmd.next }), json: cmd.json };
};

/** ENV and LABEL: `KEY name value` (old form) or `KEY n1=v1 n2=v2`; nodes key, value, "=". */
function parseNameVal(rest: string, key: string, esc: string): Parsed {
  const words = parseWords(rest, esc);
  if (words.length === 0) return { json: false };
  if (!words[0].includes('=')) {
    const parts = splitWhitespace(rest, 2);
    if (parts.length < 2) throw new InvalidArgument(`${key} must have two arguments`);
    return { next: chain([parts[0], parts[1], '']), json: false };
  }
  const values: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      throw new InvalidArgument(`Syntax error - can't find = in ${goQuote(word)}. Must be of the form: name=value`);
    }
    values.push(word.slice(0, eq), word.slice(eq + 1), '=');
  }
  return { next: chain(values), json: false };
}

export const parseEnv: LineParser = (rest, esc) => parseNameVal(rest, 'ENV', esc);
export const parseLabel: LineParser = (rest, esc) => parseNameVal(rest, 'LABEL', esc);
