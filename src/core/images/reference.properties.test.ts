/** The image reference fuzzer's properties (bench/fuzz/reference.ts) in small, for every test run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isInvalidArgument } from '../../errdefs';
import { formatFull, parseReference } from './reference';

const component = fc.stringMatching(/^[a-z0-9]{1,4}([._-][a-z0-9]{1,3})?$/);
const reference = fc.tuple(
  fc.constantFrom('', 'docker.io/', 'localhost:5000/', 'quay.io/', '[::1]:5000/', 'index.docker.io/'),
  fc.array(component, { minLength: 1, maxLength: 3 }),
  fc.constantFrom('', ':latest', ':1.36-r0', `@sha256:${'a'.repeat(64)}`, `:v1@sha256:${'0'.repeat(64)}`),
).map(([domain, path, suffix]) => domain + path.join('/') + suffix);
const edited = fc.tuple(reference, fc.nat(), fc.constantFrom(':', '/', '@', 'A', ' ', '..', '__', '-', '')).map(([s, at, c]) => s.slice(0, at % (s.length + 1)) + c + s.slice(at % (s.length + 1)));

test('property: any text parses or throws InvalidArgument; a parsed reference prints back to itself', () => {
  fc.assert(fc.property(fc.oneof(reference, edited, fc.string({ maxLength: 30 })), (s) => {
    let ref;
    try {
      ref = parseReference(s);
    } catch (err) {
      assert.ok(isInvalidArgument(err), String((err as Error).stack));
      return;
    }
    assert.deepEqual(parseReference(formatFull(ref)), ref);
  }), { numRuns: 500 });
});
