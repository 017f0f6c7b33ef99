/**
 * Checks a parsed compose file against the keys berth supports (shapes.ts). Errors name
 * the file, the dotted path and what was expected: `compose.yaml: services.web.ports must
 * be a list`. Keys starting with `x-` are extensions and are never checked.
 */
import { InvalidArgument } from '../../errdefs';
import type { Shape } from './shapes';

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v);
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** What a simple shape is called in an error. */
const NOUN: Record<string, string> = {
  string: 'a string', bool: 'a boolean', int: 'an integer', scalar: 'a string or a number', strings: 'a list of strings',
  dict: 'a mapping', dictOrList: 'a mapping or a list of KEY=VALUE strings', command: 'a string or a list of strings',
  duration: 'a duration (like 10s or 1m30s)', any: 'anything', null: 'null', object: 'a mapping', mapOf: 'a mapping', listOf: 'a list',
};

function fits(shape: Shape, v: unknown): boolean {
  switch (shape.kind) {
    case 'any': return true;
    case 'null': return v === null;
    case 'string': return typeof v === 'string';
    case 'bool': return typeof v === 'boolean';
    case 'int': return Number.isInteger(v) || (typeof v === 'string' && /^-?\d+$/.test(v));
    case 'scalar': return isScalar(v);
    case 'duration': return typeof v === 'string' ? DURATION.test(v) : Number.isFinite(v);
    case 'strings': return Array.isArray(v) && v.every(isScalar);
    case 'command': return typeof v === 'string' || v === null || (Array.isArray(v) && v.every(isScalar));
    case 'dict': return isMap(v) && Object.values(v).every((x) => x === null || isScalar(x));
    case 'dictOrList': return fits({ kind: 'dict' }, v) || fits({ kind: 'strings' }, v);
    case 'object': case 'mapOf': return isMap(v);
    case 'listOf': return Array.isArray(v);
    case 'either': return shape.options.some((o) => fits(o, v));
  }
}

function check(shape: Shape, v: unknown, path: string, fail: (path: string, msg: string) => never): void {
  if (shape.kind === 'either') {
    const structural = shape.options.find((o) => (isMap(v) && (o.kind === 'object' || o.kind === 'mapOf')) || (Array.isArray(v) && o.kind === 'listOf'));
    if (structural && !shape.options.some((o) => o !== structural && fits(o, v))) return check(structural, v, path, fail);
    if (!shape.options.some((o) => fits(o, v))) fail(path, `must be ${shape.expected}`);
    return;
  }
  if (!fits(shape, v)) fail(path, `must be ${NOUN[shape.kind]}`);
  if (shape.kind === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k.startsWith('x-')) continue;
      const sub = Object.hasOwn(shape.keys, k) ? shape.keys[k] : undefined; // not Object.prototype's `constructor`
      if (!sub) fail(path ? `${path}.${k}` : k, `is not a supported key${path ? ` of ${path}` : ''}`);
      check(sub, x, path ? `${path}.${k}` : k, fail);
    }
  } else if (shape.kind === 'mapOf') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (!k.startsWith('x-')) check(shape.value, x, `${path}.${k}`, fail);
  } else if (shape.kind === 'listOf') {
    (v as unknown[]).forEach((x, i) => check(shape.item, x, `${path}[${i}]`, fail));
  }
}

/** Throws InvalidArgument naming `file`, the path and the expected shape. */
export function validateShape(shape: Shape, doc: unknown, file: string): void {
  check(shape, doc, '', (path, msg) => {
    throw new InvalidArgument(`${file}: ${path || 'the top level'} ${msg}`);
  });
}
