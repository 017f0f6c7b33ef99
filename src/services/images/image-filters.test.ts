import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isInvalidArgument } from '../../errdefs';
import { danglingFilter, matchKVList, pathPattern, validateFilters } from './image-filters';
import { normalizeSource } from './url-source';

test('reference patterns follow Go\'s path.Match: * and ? stop at /, classes, escapes', () => {
  const m = (p: string, s: string) => pathPattern(p).test(s);
  assert.ok(m('busybox', 'busybox'));
  assert.ok(m('bu*', 'busybox') && !m('bu*', 'bu/sybox'));
  assert.ok(m('*/*:1', 'ipdf/a:1') && !m('*:1', 'ipdf/a:1'));
  assert.ok(m('a?c', 'abc') && !m('a?c', 'a/c'));
  assert.ok(m('[a-c]x', 'bx') && !m('[^a-c]x', 'bx') && m('[!a-c]x', 'dx'));
  assert.ok(m('a\\*', 'a*') && !m('a\\*', 'ab'));
  assert.ok(m('a.b', 'a.b') && !m('a.b', 'axb'), 'regex characters are literal');
  assert.throws(() => pathPattern('[ab'), isInvalidArgument);
});

test('label filters match as moby\'s MatchKVList; dangling and unknown filters fail with moby\'s words', () => {
  assert.ok(matchKVList(undefined, null));
  assert.ok(matchKVList(['k', 'a=b=c'], { k: '', a: 'b=c' }));
  assert.ok(!matchKVList(['k=v'], { k: 'w' }));
  assert.ok(!matchKVList(['k'], null));
  const f = (o: Record<string, string[]>) => new Map(Object.entries(o));
  const list: Array<[string, boolean]> = [['true', true], ['false', false]];
  assert.equal(danglingFilter(f({}), list), undefined);
  assert.equal(danglingFilter(f({ dangling: ['false', 'true'] }), list), true, 'true wins in a list');
  assert.equal(danglingFilter(f({ dangling: ['true', '0'] }), [['0', false], ['true', true]]), false, 'false wins in a prune');
  assert.throws(() => danglingFilter(f({ dangling: ['maybe'] }), list), (e: Error) => isInvalidArgument(e) && e.message === "Invalid filter 'dangling=[maybe]'");
  assert.throws(() => validateFilters(f({ bogus: ['1'] }), new Set(['label'])), (e: Error) => e.message === "Invalid filter 'bogus'");
});

test('an import source without a scheme is an http URL', () => {
  assert.equal(normalizeSource('example.com/x.tar'), 'http://example.com/x.tar');
  assert.equal(normalizeSource('https://example.com/x.tar'), 'https://example.com/x.tar');
});
