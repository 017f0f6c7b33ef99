import { NotImplemented } from '../../errdefs';
import type { EnvLookup, ExpandOptions, ExpandResult } from './types';

/** Expands variables in one word, removing quotes and escapes (buildkit ProcessWord). */
export function expand(word: string, lookup: EnvLookup, opts?: ExpandOptions): string {
  return expandWithMatches(word, lookup, opts).value;
}

/** expand, also reporting which variable names were found set and unset. */
export function expandWithMatches(word: string, lookup: EnvLookup, opts?: ExpandOptions): ExpandResult {
  throw new NotImplemented(`expand: not yet (${word} ${typeof lookup} ${opts?.escapeToken})`);
}

/** Expands and splits into words on unquoted whitespace (buildkit ProcessWords). */
export function processWords(word: string, lookup: EnvLookup, opts?: ExpandOptions): string[] {
  throw new NotImplemented(`processWords: not yet (${word} ${typeof lookup} ${opts?.escapeToken})`);
}
