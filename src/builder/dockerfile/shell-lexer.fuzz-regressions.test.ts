/** Words the fuzzer (bench/fuzz/dockerfile.ts, shell-lexer) found too slow or too deep for the lexer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expand, processWords } from './shell-lexer';

const nested = (n: number) => '${U-'.repeat(n) + 'x y' + '}'.repeat(n);

test('deeply nested substitutions left unset are fast: 1000 levels took 1.8 s, now a few ms', () => {
  const word = nested(1000);
  const t0 = performance.now();
  assert.equal(expand(word, () => undefined, { skipUnsetEnv: true }), word);
  assert.deepEqual(processWords(word, () => undefined, { skipUnsetEnv: true }), word.split(' '));
  assert.ok(performance.now() - t0 < 1000, `took ${performance.now() - t0} ms`);
  assert.deepEqual(processWords(nested(50), () => undefined), ['x', 'y']);
});

test('nesting past the lexer\'s stack is a lexer error, not a RangeError', () => {
  const word = nested(20_000);
  assert.throws(() => expand(word, () => undefined), (err) => err instanceof Error && err.constructor === Error
    && err.message === `failed to process "${word}": substitutions nested too deeply`);
});
