/**
 * Generators shared by the targets: near-valid text (valid text with a few random edits,
 * each edit drawing from the target's own tokens or random characters) and raw text.
 */
import * as fc from 'fast-check';

type Op = 'insert' | 'delete' | 'duplicate' | 'replace';
interface Edit { op: Op; at: number; len: number; text: string }

function applyEdit(s: string, e: Edit): string {
  const at = e.at % (s.length + 1);
  const end = Math.min(s.length, at + e.len);
  switch (e.op) {
    case 'insert': return s.slice(0, at) + e.text + s.slice(at);
    case 'delete': return s.slice(0, at) + s.slice(end);
    case 'duplicate': return s.slice(0, end) + s.slice(at, end) + s.slice(end);
    case 'replace': return s.slice(0, at) + e.text + s.slice(end);
  }
}

/** Raw text: any UTF-16 code units (lone surrogates included), or the target's own characters. */
export function rawText(special: string, maxLength = 200): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: fc.constantFrom(...Array.from(special)), maxLength }),
    fc.string({ unit: 'grapheme-ascii', maxLength }),
  );
}

/** `base` with up to `maxEdits` insertions, deletions, duplications and replacements. */
export function mutated(base: fc.Arbitrary<string>, tokens: string[], maxEdits = 4): fc.Arbitrary<string> {
  const text = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...tokens) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
  );
  const edit: fc.Arbitrary<Edit> = fc.record({
    op: fc.constantFrom<Op>('insert', 'delete', 'duplicate', 'replace'),
    at: fc.nat(),
    len: fc.nat({ max: 12 }),
    text,
  });
  return fc.tuple(base, fc.array(edit, { maxLength: maxEdits }))
    .map(([s, edits]) => edits.reduce(applyEdit, s));
}

/** Pieces joined by `sep` (for lines, path components, ...). */
export const joined = (piece: fc.Arbitrary<string>, sep: string, max = 8) =>
  fc.array(piece, { minLength: 1, maxLength: max }).map((a) => a.join(sep));
