/**
 * The image reference parser (src/core/images/reference.ts). Declared error: InvalidArgument.
 * Round trip: a parsed reference prints (full form) to text that parses back to itself; the
 * familiar form does too unless its first component reads as a registry (as in Docker).
 */
import * as fc from 'fast-check';
import {
  familiar, formatFamiliar, formatFull, normalize, parseNormalized, parseReference,
} from '../../src/core/images';
import { berthError, returnsOrDeclares, sameJson, type FuzzTarget } from './property';
import { mutated, rawText } from './mutate';

const declared = berthError('INVALID_ARGUMENT');

const alnum = fc.stringMatching(/^[a-z0-9]{1,6}$/);
const separator = fc.constantFrom('.', '_', '__', '-', '--');
const component = fc.tuple(alnum, fc.array(fc.tuple(separator, alnum), { maxLength: 2 }))
  .map(([a, rest]) => a + rest.map(([s, b]) => s + b).join(''));
const domain = fc.oneof(
  fc.constantFrom('docker.io', 'index.docker.io', 'localhost', 'localhost:5000', 'quay.io', 'ghcr.io',
    'registry.example.com:443', '127.0.0.1:5000', '[::1]:5000', '[fe80::1]', 'Registry.Example.COM'),
  fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?(\.[a-z]{2,4})(:[0-9]{1,5})?$/),
);
const tag = fc.stringMatching(/^[\w][\w.-]{0,20}$/);
const digest = fc.oneof(
  fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,6}:[0-9a-fA-F]{32,70}$/),
);

/** References built from valid parts (each part optional). */
const valid = fc.record({
  domain: fc.option(domain, { nil: undefined }),
  path: fc.array(component, { minLength: 1, maxLength: 4 }),
  tag: fc.option(tag, { nil: undefined }),
  digest: fc.option(digest, { nil: undefined }),
}).map((r) => (r.domain ? `${r.domain}/` : '') + r.path.join('/') + (r.tag ? `:${r.tag}` : '') + (r.digest ? `@${r.digest}` : ''));

const TOKENS = [':', '/', '@', '.', '_', '__', '-', 'sha256:', 'A', ' ', '[', ']', '::', 'localhost', 'library/', 'a'.repeat(64), '\u0130', 'é'];
export const input = fc.oneof(
  { weight: 3, arbitrary: valid },
  { weight: 4, arbitrary: mutated(valid, TOKENS) },
  { weight: 2, arbitrary: rawText(':/@._-[]aZ09 '), },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-f0-9]{60,66}$/) },
);

/** The familiar form reads back as itself unless its first path component looks like a registry. */
const familiarIsAmbiguous = (text: string) => {
  const i = text.indexOf('/');
  const first = i < 0 ? '' : text.slice(0, i);
  return i >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
};

export const referenceTarget: FuzzTarget = {
  name: 'reference',
  module: 'src/core/images/reference.ts',
  properties: [
    {
      name: 'total',
      arbitrary: input,
      check(s: string) {
        for (const fn of [parseReference, parseNormalized, normalize, familiar]) returnsOrDeclares(() => fn(s), declared);
      },
    },
    {
      name: 'round-trip',
      arbitrary: input,
      check(s: string) {
        const { value: ref } = returnsOrDeclares(() => parseReference(s), declared);
        if (!ref) return;
        const full = formatFull(ref);
        sameJson(`parse(${JSON.stringify(s)}) and parse(${JSON.stringify(full)})`, ref, parseReference(full));
        const fam = formatFamiliar(ref);
        if (!familiarIsAmbiguous(fam)) sameJson(`parse(${JSON.stringify(s)}) and parse(${JSON.stringify(fam)})`, ref, parseReference(fam));
        sameJson('parse twice', ref, parseReference(s));
      },
    },
  ],
};
