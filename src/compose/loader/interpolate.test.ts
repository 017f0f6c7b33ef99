import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolate, interpolateTree, InterpolationError } from './interpolate';
import { parseEnvFile } from './env-file';

const env: Record<string, string> = { SET: 'v', EMPTY: '' };
const look = (k: string) => env[k];
const i = (s: string) => interpolate(s, look);

test('interpolation: every form of the compose specification', () => {
  assert.equal(i('$SET ${SET} x$SET.y'), 'v v xv.y');
  assert.equal(i('${UNSET:-d} ${EMPTY:-d} ${SET:-d}'), 'd d v');
  assert.equal(i('${UNSET-d} ${EMPTY-d} ${SET-d}'), 'd  v');
  assert.equal(i('${UNSET:+r} ${EMPTY:+r} ${SET:+r}'), '  r');
  assert.equal(i('${UNSET+r}|${EMPTY+r}'), '|r');
  assert.equal(i('$$SET $$ ${UNSET:-${SET}}'), '$SET $ v');
  assert.equal(i('a $ b $1'), 'a $ b $1');
  assert.throws(() => i('${UNSET:?need it}'), { message: 'required variable UNSET is missing a value: need it' });
  assert.throws(() => i('${EMPTY:?}'), { message: 'required variable EMPTY is missing a value' });
  assert.equal(i('${EMPTY?x}'), '');
  assert.throws(() => i('${UNSET?x}'), /required variable UNSET/);
  assert.throws(() => i('${}'), InterpolationError);
  assert.throws(() => i('${SET'), /invalid interpolation format/);
  const missing: string[] = [];
  interpolate('$A ${B} ${C:-x}', look, (n) => missing.push(n));
  assert.deepEqual(missing, ['A', 'B']);
});

test('interpolation over a document names the path of a failure and leaves keys alone', () => {
  assert.deepEqual(interpolateTree({ $SET: ['$SET', 1, true] }, look, () => {}), { $SET: ['v', 1, true] });
  assert.throws(() => interpolateTree({ services: { web: { ports: ['${P:?port}'] } } }, look, () => {}),
    { message: 'services.web.ports[0]: required variable P is missing a value: port' });
});

test('env files: comments, export, quotes, inline comments, bare keys from the environment', () => {
  const text = '# c\nA=1\nexport B="two\\nlines"\nC=\'$lit\'\nD=x # note\nE\nF\n\nG=a=b\n';
  assert.deepEqual(parseEnvFile(text, (k) => (k === 'E' ? 'from-env' : undefined)), {
    A: '1', B: 'two\nlines', C: '$lit', D: 'x', E: 'from-env', G: 'a=b',
  });
});
