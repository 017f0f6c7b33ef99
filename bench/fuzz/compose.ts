/**
 * The compose loader (src/compose/loader/): YAML text through interpolation, validation,
 * merge and normalization to a Project. Declared error: InvalidArgument, with no JavaScript
 * crash on its cause chain (but the yaml library's own errors, wrapped as `not valid YAML`). Inputs: documents generated from the loader's own shapes
 * (shapes.ts, checked against the compose schema) with in-shape and out-of-shape values,
 * the same YAML with edits, and raw text. Loading is also deterministic and loses no service.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import * as fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { loadProject, SERVICE, TOP, type Shape } from '../../src/compose/loader';
import { anyOf, berthError, returnsOrDeclares, sameJson, withoutCrashCause, type FuzzTarget } from './property';
import { mutated, rawText } from './mutate';

/** The yaml library's errors (a ReferenceError for an unknown alias) are its contract, wrapped as "not valid YAML". */
const declared = anyOf(
  withoutCrashCause(berthError('INVALID_ARGUMENT')),
  (err) => berthError('INVALID_ARGUMENT')(err) && / not valid YAML: /.test((err as Error).message),
);

/** Names services, networks and volumes get, and references use: some collide with Object's own keys. */
const NAMES = ['web', 'db', 'cache', 'default', 'data', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'x-ext', 'Web', 'a.b'];
const STRINGS = ['busybox', 'busybox:1.36', './src', '.', '/abs', '~/x', 'data:/data', './src:/src:ro', '80', '8080:80', '127.0.0.1:8080-8081:90-91/udp',
  '[::1]:53:53/udp', '1-99999', '5-1', '65536', 'a-b', '${VAR}', '${VAR:-def}', '${UNSET:?need it}', '${VAR:+alt}', '$$literal', '${', '${VAR',
  '10s', '1m30s', 'service_healthy', 'service_started', 'bogus', 'A=1', 'B', 'unless-stopped', 'sleep 1 "two words"', "it's", ''];
const name = fc.constantFrom(...NAMES);
const str = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...STRINGS, ...NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
const scalar = fc.oneof(str, fc.integer({ min: -70000, max: 70000 }), fc.boolean(), fc.double({ noNaN: false }));
const junk = fc.oneof(scalar, fc.constant(null), fc.array(scalar, { maxLength: 2 }), fc.dictionary(name, scalar, { maxKeys: 2 }));

/** A value for `shape`: mostly in shape, sometimes anything. */
function valueFor(shape: Shape, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 15, arbitrary: inShape(shape, depth) }, { weight: 1, arbitrary: junk });
}

function inShape(shape: Shape, depth: number): fc.Arbitrary<unknown> {
  switch (shape.kind) {
    case 'any': return junk;
    case 'null': return fc.constant(null);
    case 'string': return str;
    case 'bool': return fc.boolean();
    case 'int': return fc.oneof(fc.integer({ min: -5, max: 100 }), fc.constantFrom('3', '-1', '99999999999'));
    case 'scalar': return scalar;
    case 'duration': return fc.oneof(fc.constantFrom('10s', '1m30s', '500ms', '1.5h', '0s'), fc.nat());
    case 'strings': return fc.array(fc.oneof(str, name), { maxLength: 3 });
    case 'dict': return fc.dictionary(fc.oneof(name, str), fc.oneof(scalar, fc.constant(null)), { maxKeys: 3 });
    case 'dictOrList': return fc.oneof(inShape({ kind: 'dict' }, depth), inShape({ kind: 'strings' }, depth));
    case 'command': return fc.oneof(str, fc.constant(null), fc.array(str, { maxLength: 3 }));
    case 'object': {
      if (depth > 5) return fc.constant({});
      const keys = Object.keys(shape.keys);
      return fc.tuple(
        fc.subarray(keys, { maxLength: Math.min(6, keys.length) }).chain((ks) => fc.tuple(...ks.map((k) => valueFor(shape.keys[k], depth + 1).map((v) => [k, v] as const)))),
        fc.oneof({ weight: 20, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x-ext', 'bogus', 'constructor'), junk) }),
      ).map(([pairs, extra]) => Object.fromEntries(extra ? [...pairs, extra] : pairs));
    }
    case 'mapOf': return fc.dictionary(name, valueFor(shape.value, depth + 1), { maxKeys: 3 });
    case 'listOf': return fc.array(valueFor(shape.item, depth + 1), { maxLength: 3 });
    case 'either': return fc.oneof(...shape.options.map((o) => inShape(o, depth)));
  }
}

/** Documents that pass validation more often: every service has an image, and the names that
 * references use are defined at the top level. */
const defined = fc.constant(Object.fromEntries(NAMES.filter((n) => !n.startsWith('x-')).map((n) => [n, {}])));
const project = fc.record({
  services: fc.dictionary(name, inShape(SERVICE, 1).map((svc) => ({ image: 'busybox', ...(svc as object) })), { minKeys: 1, maxKeys: 3 }),
  networks: defined, volumes: defined,
  secrets: fc.constant(Object.fromEntries(NAMES.map((n) => [n, { file: './secret' }]))),
}, { requiredKeys: ['services'] });
const documentYaml = fc.oneof(inShape(TOP, 0), project).map((doc) => stringify(doc));
const TOKENS = ['\n', '  ', ':', '- ', '{', '}', '[', ']', '&a', '*a', '<<: *a', '!!binary', '!!str', '%YAML 1.1\n---\n', '---\n', '"', "'",
  '${', '}', '$$', 'services:', 'depends_on:', 'ports:', '#', '?', '|', '>', '__proto__', 'null', '~', '1e400', '0x1F'];

export const composeInput = fc.oneof(
  { weight: 3, arbitrary: documentYaml },
  { weight: 4, arbitrary: mutated(documentYaml, TOKENS, 5) },
  { weight: 1, arbitrary: rawText(':-{}[]&*!\n "\'$#|>', 200) },
);

const ENV = { VAR: 'value', EMPTY: '' };
let scratch: string | undefined;

/** Loads `yaml` as compose.yaml of a scratch project directory (one per thread, removed on exit). */
function load(yaml: string) {
  if (!scratch) {
    const root = process.env.BERTH_FUZZ_SCRATCH;
    scratch = root ? join(root, `compose-${threadId}`) : mkdtempSync(join(tmpdir(), 'berth-fuzz-compose-'));
    mkdirSync(scratch, { recursive: true });
    const dir = scratch;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const file = join(scratch, 'compose.yaml');
  writeFileSync(file, yaml);
  return loadProject({ files: [file], env: ENV, cwd: scratch, projectName: 'fuzz', warn: () => {} });
}

export const composeTarget: FuzzTarget = {
  name: 'compose',
  module: 'src/compose/loader/',
  properties: [
    {
      name: 'load',
      arbitrary: composeInput,
      check(yaml: string) {
        const { value } = returnsOrDeclares(() => load(yaml), declared);
        if (!value) return;
        sameJson('two loads', value, load(yaml));
        // Every service written (but extensions) is loaded, whatever its name.
        const written = (parse(yaml, { merge: true }) as { services?: Record<string, unknown> } | null)?.services ?? {};
        sameJson('services written and loaded', Object.keys(written).filter((k) => !k.startsWith('x-')).sort(), Object.keys(value.services).sort());
      },
    },
  ],
};
