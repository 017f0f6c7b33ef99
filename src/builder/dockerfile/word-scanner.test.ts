import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWords } from './parse-words';
import { extractBuilderFlags } from './split-command';

test('parseWords keeps quotes and escapes in the words (buildkit\'s TestParseWords)', () => {
  assert.deepEqual(parseWords('foo', '\\'), ['foo']);
  assert.deepEqual(parseWords('foo bar', '\\'), ['foo', 'bar']);
  assert.deepEqual(parseWords('foo\\ bar', '\\'), ['foo\\ bar']);
  assert.deepEqual(parseWords("foo bar 'abc xyz'", '\\'), ['foo', 'bar', "'abc xyz'"]);
  assert.deepEqual(parseWords('föo bàr "âbc xÿz"', '\\'), ['föo', 'bàr', '"âbc xÿz"']);
  assert.deepEqual(parseWords("a='x\\' b", '\\'), ["a='x\\'", 'b']);
  assert.deepEqual(parseWords('a="" b=`"c d', '`'), ['a=""', 'b=`"c', 'd']);
});

test('flags: leading --words, unquoted; a lone -- ends them; the rest is returned as written', () => {
  assert.deepEqual(extractBuilderFlags('--from=a --chown="u g" src dst', '\\'), { rest: 'src dst', flags: ['--from=a', '--chown=u g'] });
  assert.deepEqual(extractBuilderFlags('--a -- --not-a-flag x', '\\'), { rest: ' --not-a-flag x', flags: ['--a'] });
  assert.deepEqual(extractBuilderFlags("--x='a\\'b' y", '\\'), { rest: 'y', flags: ["--x=a'b"] });
  assert.deepEqual(extractBuilderFlags('-x --y', '\\'), { rest: '-x --y', flags: [] });
  assert.deepEqual(extractBuilderFlags('--only', '\\'), { rest: '', flags: ['--only'] });
});
