import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expand, expandWithMatches, processWords } from './shell-lexer';
import { sharedSpecDir } from '../../lib/shared-spec';

/** buildkit's lexer test files, in the shared spec beside the repo. */
const SPEC = path.join(sharedSpecDir(), 'dockerfile-shell-lexer-tests');

const lookupFrom = (env: Record<string, string>) => (k: string) => (Object.hasOwn(env, k) ? env[k] : undefined);

test('envVarTest: every A and U line expands (or fails) as buildkit', () => {
  const lookup = lookupFrom({ PWD: '/home', SHELL: 'bash', KOREAN: '한국어', NULL: '' });
  let checked = 0;
  for (const [i, raw] of readFileSync(path.join(SPEC, 'envVarTest'), 'utf8').split('\n').entries()) {
    if (raw.startsWith('#') || raw.trim() === '') continue;
    const [platform, source, expected] = raw.trim().split('|').map((s) => s.trim());
    if (platform === 'W') continue;
    checked++;
    if (expected === 'error') {
      assert.throws(() => expand(source, lookup), Error, `line ${i + 1}: ${source}`);
    } else {
      assert.equal(expand(source, lookup), expected, `line ${i + 1}: ${source}`);
    }
  }
  assert.ok(checked > 200);
});

test('wordsTest: words split after expansion, quotes keep spaces', () => {
  const env: Record<string, string> = {};
  let checked = 0;
  for (const [i, line] of readFileSync(path.join(SPEC, 'wordsTest'), 'utf8').split('\n').entries()) {
    if (line.startsWith('#') || line === '') continue;
    if (line.startsWith('ENV ')) {
      const kv = line.slice(3).replace(/^ +/, '');
      const eq = kv.indexOf('=');
      env[kv.slice(0, eq)] = kv.slice(eq + 1);
      continue;
    }
    const [input, out] = line.split('|');
    const expected = out.replace(/^ +/, '').split(',');
    let words: string[];
    try {
      words = processWords(input.trim(), lookupFrom(env));
    } catch {
      words = ['error'];
    }
    assert.deepEqual(words, expected, `line ${i + 1}: ${input}`);
    checked++;
  }
  assert.ok(checked > 20);
});

test('${v?msg} and ${v:?msg} fail with the message, expanded', () => {
  const lookup = lookupFrom({ ARG: 'x', VAR: '' });
  assert.throws(() => expand('${VAR:?message here$ARG}', lookup), /VAR: message herex/);
  assert.equal(expand('${VAR?message here$ARG}', lookup), '');
  assert.throws(() => expand('${NOPE?}', lookup), /NOPE: is not allowed to be unset/);
  assert.throws(() => expand('${VAR:?}', lookup), /VAR: is not allowed to be empty/);
});

test('the backtick escape token, and unset variables kept when asked', () => {
  const lookup = lookupFrom({ A: 'a' });
  assert.equal(expand('`$A$A\\x', lookup, { escapeToken: '`' }), '$Aa\\x');
  assert.equal(expand('"`"x"', lookup, { escapeToken: '`' }), '"x');
  assert.equal(expand('$A-$B-${C}-${D:-d}', lookup, { skipUnsetEnv: true }), 'a-$B-${C}-${D:-d}');
});

test('pattern modifiers: # ## % %% / //', () => {
  const lookup = lookupFrom({ F: 'dir/sub/file.tar.gz' });
  assert.equal(expand('${F#*/}', lookup), 'sub/file.tar.gz');
  assert.equal(expand('${F##*/}', lookup), 'file.tar.gz');
  assert.equal(expand('${F%.*}', lookup), 'dir/sub/file.tar');
  assert.equal(expand('${F%%.*}', lookup), 'dir/sub/file');
  assert.equal(expand('${F/\\//-}', lookup), 'dir-sub/file.tar.gz');
  assert.equal(expand('${F//\\//-}', lookup), 'dir-sub-file.tar.gz');
  assert.throws(() => expand('${F:#x}', lookup), /unsupported modifier \(:#\)/);
});

test('matches report the names found set and unset', () => {
  const r = expandWithMatches('$A ${B:-x} $A', lookupFrom({ A: '1' }));
  assert.equal(r.value, '1 x 1');
  assert.deepEqual([...r.matched], ['A']);
  assert.deepEqual([...r.unmatched], ['B']);
});
