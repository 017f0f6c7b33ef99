/** Word splitting for ENV, LABEL and ARG lines (buildkit's parseWords): quotes and escape
 * tokens stay in the words; the executor's expansion removes them. */
import { scanWords } from './word-scanner';

export function parseWords(rest: string, escapeToken: string): string[] {
  return Array.from(scanWords(Array.from(rest), escapeToken, true), (w) => w.word);
}
