import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedSpecDir } from '../../lib/shared-spec';
import { loadProject } from './load-project';
import { SERVICE, TOP, type Shape } from './shapes';
import { scratchDir } from '../../lib/testing/scratch-dir';

function project(files: Record<string, string>, o: { env?: Record<string, string>; profiles?: string[]; order?: string[] } = {}) {
  const dir = scratchDir('compose-load-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const names = o.order ?? Object.keys(files).filter((f) => f.endsWith('.yaml'));
  return { dir, p: loadProject({ files: names.map((f) => join(dir, f)), env: o.env ?? {}, cwd: dir, profiles: o.profiles }) };
}

test('files merge in order with compose\'s rules; .env fills variables and the shell wins', () => {
  const { dir, p } = project({
    'a.yaml': 'version: "3"\nname: Demo_App\nservices:\n  web:\n    image: busybox:${TAG}\n    command: sleep 1\n    environment: [A=1, B=2]\n    ports: ["80"]\n    volumes: ["data:/data", "./src:/src:ro"]\n    x-note: ignored\nvolumes:\n  data: {}\nx-top: 1\n',
    'b.yaml': 'services:\n  web:\n    command: ["sleep", "2"]\n    environment: {B: "3", C: "${FROM_SHELL}"}\n    ports: ["127.0.0.1:8080-8081:90-91/udp"]\n    volumes: [{type: tmpfs, target: /src}]\n  db:\n    image: busybox\n    profiles: [tools]\n',
    '.env': 'TAG=1.36\nFROM_SHELL=dotenv\n',
  }, { env: { FROM_SHELL: 'shell' }, order: ['a.yaml', 'b.yaml'] });
  assert.equal(p.name, 'demo_app');
  const web = p.services.web;
  assert.equal(web.image, 'busybox:1.36');
  assert.deepEqual(web.command, ['sleep', '2']);
  assert.deepEqual(web.environment, { A: '1', B: '3', C: 'shell' });
  assert.deepEqual(web.ports, [
    { target: 80, published: undefined, host_ip: undefined, protocol: 'tcp' },
    { target: 90, published: '8080', host_ip: '127.0.0.1', protocol: 'udp' },
    { target: 91, published: '8081', host_ip: '127.0.0.1', protocol: 'udp' },
  ]);
  assert.deepEqual(web.volumes, [
    { type: 'volume', source: 'data', target: '/data', read_only: false },
    { type: 'tmpfs', source: undefined, target: '/src', read_only: false },
  ]);
  assert.equal(p.volumes.data.name, 'demo_app_data');
  assert.equal(p.networks.default.name, 'demo_app_default');
  assert.deepEqual(p.enabled, ['web']);
  assert.equal(p.workingDir, dir);
  assert.equal('version' in p.document, false);
});

test('--env-file replaces .env; COMPOSE_PROJECT_NAME and COMPOSE_PROFILES come from either', () => {
  const dir = scratchDir('compose-envfile-');
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  a: {image: "busybox:${TAG}"}\n  b: {image: x, profiles: [extra]}\n');
  writeFileSync(join(dir, '.env'), 'TAG=from-dotenv\n');
  writeFileSync(join(dir, 'other.env'), 'TAG=from-other\nCOMPOSE_PROJECT_NAME=Other\nCOMPOSE_PROFILES=extra\n');
  const base = { env: {}, cwd: dir };
  const plain = loadProject(base);
  assert.equal(plain.services.a.image, 'busybox:from-dotenv');
  assert.deepEqual(plain.enabled, ['a']);
  const other = loadProject({ ...base, envFiles: ['other.env'] });
  assert.equal(other.services.a.image, 'busybox:from-other');
  assert.equal(other.name, 'other');
  assert.deepEqual(other.enabled.sort(), ['a', 'b']);
  assert.equal(loadProject({ ...base, env: { TAG: 'shell' }, envFiles: ['other.env'] }).services.a.image, 'busybox:shell');
  assert.throws(() => loadProject({ ...base, envFiles: ['missing.env'] }), /env file .*missing\.env not found/);
});

test('profiles enable services; depends_on lists read as service_started', () => {
  const { p } = project({ 'c.yaml': 'services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, profiles: [p1]}\n' }, { profiles: ['p1'] });
  assert.deepEqual(p.enabled.sort(), ['a', 'b']);
  assert.deepEqual(p.services.a.depends_on, { b: { condition: 'service_started', required: true } });
});

test('errors name the file, the path and what was expected', () => {
  const bad = (text: string) => () => project({ 'bad.yaml': text });
  assert.throws(bad('services:\n  web:\n    image: x\n    healthcheck: {interval: soon}\n'), /bad\.yaml: services\.web\.healthcheck\.interval must be a duration/);
  assert.throws(bad('services:\n  web: {image: x, environment: 3}\n'), /bad\.yaml: services\.web\.environment must be a mapping or a list of KEY=VALUE strings/);
  assert.throws(bad('services:\n  web: {image: x, volumes: [data:/d]}\n'), /bad\.yaml: services\.web\.volumes: service "web" refers to undefined volume data/);
  assert.throws(bad('services:\n  web: {command: x}\n'), /bad\.yaml: services\.web has neither an image nor a build context specified/);
  assert.throws(bad('services: []\n'), /bad\.yaml: services must be a mapping/);
  assert.throws(bad('services:\n  web: {image: x, depends_on: {db: {condition: started}}}\n  db: {image: x}\n'), /services\.web\.depends_on\.db\.condition must be one of/);
  assert.throws(bad('a: b: c\n'), /bad\.yaml: not valid YAML/);
});

/** The schema object a shape's `spec` path names (`/`-separated, `$ref`s followed). */
function specNode(schema: any, path: string): any {
  const deref = (n: any) => (n?.$ref ? resolveRef(schema, n.$ref) : n);
  return path.split('/').reduce((n: any, k: string) => deref(n?.[k]), schema);
}
const resolveRef = (schema: any, ref: string) => ref.slice(2).split('/').reduce((n: any, k: string) => n[k], schema);

test('every key berth accepts is a key of the compose specification (../shared/spec/compose-spec.json)', () => {
  const schema = JSON.parse(readFileSync(join(sharedSpecDir(), 'compose-spec.json'), 'utf8'));
  const checked: string[] = [];
  const walk = (shape: Shape) => {
    if (shape.kind === 'object') {
      const node = shape.spec ? specNode(schema, shape.spec) : schema;
      assert.ok(node?.properties, `no properties at ${shape.spec}`);
      for (const k of Object.keys(shape.keys)) {
        assert.ok(k in node.properties, `${shape.spec || '(top)'}.${k} is not in the specification`);
        checked.push(`${shape.spec}.${k}`);
      }
      Object.values(shape.keys).forEach(walk);
    } else if (shape.kind === 'either') shape.options.forEach(walk);
    else if (shape.kind === 'listOf') walk(shape.item);
    else if (shape.kind === 'mapOf') walk(shape.value);
  };
  walk(TOP);
  walk(SERVICE);
  assert.ok(checked.length > 80, `checked ${checked.length} keys`);
});
