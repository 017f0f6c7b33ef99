import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from './parser';
import { dumpNode } from './node-dump';
import { sharedSpecDir } from '../../lib/shared-spec';

/** buildkit's parser test files, in the shared spec beside the repo. */
const SPEC = sharedSpecDir();
const cases = (dir: string) => readdirSync(path.join(SPEC, dir)).sort();

const positive = cases('dockerfile-parser-testfiles');
const negative = cases('dockerfile-parser-testfiles-negative');

test('the spec holds buildkit\'s 33 parser cases and 4 negative ones', () => {
  assert.ok(positive.length >= 33 && negative.length >= 4);
});

for (const dir of positive) {
  test(`testfiles/${dir} dumps exactly its result`, () => {
    const base = path.join(SPEC, 'dockerfile-parser-testfiles', dir);
    const result = parse(readFileSync(path.join(base, 'Dockerfile'), 'utf8'));
    assert.equal(dumpNode(result.ast) + '\n', readFileSync(path.join(base, 'result'), 'utf8'));
  });
}

for (const dir of negative) {
  test(`testfiles-negative/${dir} fails to parse`, () => {
    const text = readFileSync(path.join(SPEC, 'dockerfile-parser-testfiles-negative', dir, 'Dockerfile'), 'utf8');
    assert.throws(() => parse(text), Error);
  });
}
