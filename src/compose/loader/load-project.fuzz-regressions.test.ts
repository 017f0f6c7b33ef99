/** Compose files the fuzzer (bench/fuzz/compose.ts) found crashing the loader, and its property in small. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { isInvalidArgument } from '../../errdefs';
import { loadProject } from './load-project';

function withProject(run: (load: (yaml: string) => ReturnType<typeof loadProject>) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'compose-fuzz-'));
  try {
    run((yaml) => {
      writeFileSync(join(dir, 'compose.yaml'), yaml);
      return loadProject({ files: [join(dir, 'compose.yaml')], env: {}, cwd: dir, projectName: 'p' });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const invalid = (message: RegExp) => (err: unknown) => isInvalidArgument(err) && message.test((err as Error).message);

test('x- keys in the top-level sections are extensions, not objects to load', () => withProject((load) => {
  const p = load('services:\n  web: {image: busybox}\n  x-note: {anything: 1}\nconfigs:\n  x-ext: null\nnetworks:\n  x-n: 3\n');
  assert.deepEqual(Object.keys(p.services), ['web']);
  assert.deepEqual(Object.keys(p.configs), []);
  assert.deepEqual(Object.keys(p.networks), ['default']);
  const u = load('services:\n  web:\n    image: busybox\n    ulimits:\n      nofile: {soft: 1, hard: 2}\n      x-ext: null\n');
  assert.deepEqual(u.services.web.ulimits, { nofile: { soft: 1, hard: 2 } });
  const n = load('services:\n  db: {image: busybox}\n  web:\n    image: busybox\n    networks: {default: null, x-n: {aliases: {}}}\n    depends_on: {db: {condition: service_started}, x-d: null}\n');
  assert.deepEqual(Object.keys(n.services.web.networks), ['default']);
  assert.deepEqual(Object.keys(n.services.web.depends_on), ['db']);
  assert.throws(() => load('services:\n  web: {image: x, constructor: 1}\n'), invalid(/services\.web\.constructor is not a supported key of services\.web$/));
}));

test('names of Object.prototype members are not defined services, networks, volumes or secrets', () => withProject((load) => {
  assert.throws(() => load('services:\n  web: {image: x, depends_on: [toString]}\n'), invalid(/depends on undefined service "toString"$/));
  assert.throws(() => load('services:\n  web: {image: x, depends_on: {constructor: {condition: service_started}}}\n'), invalid(/undefined service "constructor"$/));
  assert.throws(() => load('services:\n  web: {image: x, networks: [toString]}\n'), invalid(/refers to undefined network toString$/));
  assert.throws(() => load('services:\n  web: {image: x, volumes: ["constructor:/data"]}\n'), invalid(/refers to undefined volume constructor$/));
  assert.throws(() => load('services:\n  web: {image: x, secrets: [hasOwnProperty]}\n'), invalid(/refers to undefined secret hasOwnProperty$/));
}));

test('a service, network or variable named __proto__ is loaded like any other, not lost to the prototype', () => withProject((load) => {
  const p = load('services:\n  __proto__: {image: busybox, environment: {__proto__: x}, networks: [__proto__]}\n  web: {image: busybox, depends_on: [__proto__]}\nnetworks:\n  __proto__: {}\n');
  assert.deepEqual(Object.keys(p.services).sort(), ['__proto__', 'web']);
  assert.equal(p.services.__proto__.image, 'busybox');
  assert.deepEqual(Object.keys(p.services.__proto__.environment), ['__proto__']);
  assert.deepEqual(Object.keys(p.networks).sort(), ['__proto__', 'default']);
  assert.equal(p.networks.__proto__.name, 'p___proto__');
}));

test('port ranges are checked as go-connections does, not expanded into a RangeError', () => withProject((load) => {
  assert.throws(() => load('services:\n  web: {image: x, ports: [-3309084994926439]}\n'), invalid(/services\.web\.ports: invalid containerPort: -3309084994926439$/));
  assert.throws(() => load('services:\n  web: {image: x, ports: ["5-1"]}\n'), invalid(/invalid containerPort: 5-1$/));
  assert.throws(() => load('services:\n  web: {image: x, ports: ["1-70000"]}\n'), invalid(/invalid containerPort: 1-70000$/));
  assert.throws(() => load('services:\n  web: {image: x, ports: ["x:80"]}\n'), invalid(/invalid hostPort: x$/));
  assert.deepEqual(load('services:\n  web: {image: x, ports: ["8080-8081:80-81"]}\n').services.web.ports.map((p) => `${p.published}:${p.target}`), ['8080:80', '8081:81']);
}));

test('an alias inside its own anchor is refused, not a stack overflow', () => withProject((load) => {
  assert.throws(() => load('services:\n  web: {image: x}\nnetworks: &a\n  n: {}\n  x: *a\n'), invalid(/not valid YAML: anchor value contains itself$/));
  assert.equal(load('x-base: &b {image: busybox}\nservices:\n  a: *b\n  b: *b\n').services.b.image, 'busybox');
}));

const NAMES = ['web', 'db', 'default', 'toString', 'constructor', '__proto__', 'x-e'];
const VALUES = ['busybox', '80', '8080:80', '5-1', '1-99999', 'data:/data', '${VAR:-x}', '${', '10s', null, 3, -1, true, [], {}];

test('property: small documents of compose keys load or throw InvalidArgument', () => withProject((load) => {
  const value = fc.constantFrom(...VALUES);
  const service = fc.dictionary(fc.constantFrom('image', 'ports', 'depends_on', 'networks', 'volumes', 'environment', 'healthcheck', 'x-e'),
    fc.oneof(value, fc.array(fc.oneof(value, fc.constantFrom(...NAMES)), { maxLength: 3 }), fc.dictionary(fc.constantFrom(...NAMES), value, { maxKeys: 2 })), { maxKeys: 4 });
  const doc = fc.record({
    services: fc.dictionary(fc.constantFrom(...NAMES), service, { maxKeys: 3 }),
    networks: fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom(null, {}), { maxKeys: 2 }),
  }, { requiredKeys: [] });
  fc.assert(fc.property(doc, (d) => {
    try {
      load(JSON.stringify(d));
    } catch (err) {
      assert.ok(isInvalidArgument(err) && !(err instanceof Error && err.cause instanceof TypeError), String((err as Error).stack));
    }
  }), { numRuns: 200 });
}));
