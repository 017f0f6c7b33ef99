/**
 * The types of a request body's fields, checked as Go's encoding/json checks them when dockerd
 * decodes the body into its structs: a value of the wrong JSON type is refused with Go's words
 * (`json: cannot unmarshal string into Go struct field HostConfig.HostConfig.Memory of type
 * int64`), `null` is accepted anywhere (Go leaves the zero value), fields the shape does not
 * name pass unchecked. Only types are checked here; meanings are the services' business.
 */
import { InvalidArgument } from '../../errdefs';

export type Shape =
  | { kind: 'string' | 'bool' | 'any' }
  /** An integer; `go` is its Go type (int64, int, uint16, ...). */
  | { kind: 'int'; go: string }
  /** strslice.StrSlice: a string or an array of strings. */
  | { kind: 'strslice' }
  | { kind: 'array'; of: Shape; go: string }
  | { kind: 'map'; of: Shape; go: string }
  | { kind: 'struct'; name: string; go: string; fields: Record<string, Shape> };

export const str: Shape = { kind: 'string' };
export const bool: Shape = { kind: 'bool' };
export const any: Shape = { kind: 'any' };
export const int = (go = 'int'): Shape => ({ kind: 'int', go });
export const strslice: Shape = { kind: 'strslice' };
export const arr = (of: Shape, go = `[]${goType(of)}`): Shape => ({ kind: 'array', of, go });
export const map = (of: Shape, go = `map[string]${goType(of)}`): Shape => ({ kind: 'map', of, go });
/** A Go struct: name is its type name as Go's errors show it, go its qualified type. */
export const struct = (name: string, fields: Record<string, Shape>, go = name): Shape => ({ kind: 'struct', name, go, fields });

function goType(s: Shape): string {
  switch (s.kind) {
    case 'string': return 'string';
    case 'bool': return 'bool';
    case 'int': return s.go;
    case 'strslice': return 'string';
    case 'any': return 'interface {}';
    default: return s.go;
  }
}

/** Go's name for the JSON value: string, number, bool, array, object. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'string' ? 'string' : 'object';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks value against shape; throws InvalidArgument with `prefix` and Go's message at the
 * first mismatch. `struct` and `path` name where value sits (Go reports the innermost struct's
 * type and the field path from the top).
 */
export function checkShape(value: unknown, shape: Shape, prefix = 'invalid JSON: '): void {
  const fail = (v: unknown, where: { struct: string; path: string } | undefined, type: string, detail = jsonKind(v)): never => {
    const into = where ? `Go struct field ${where.struct}.${where.path}` : 'Go value';
    throw new InvalidArgument(`${prefix}json: cannot unmarshal ${detail} into ${into} of type ${type}`);
  };
  const walk = (v: unknown, s: Shape, where: { struct: string; path: string } | undefined): void => {
    if (v === null || s.kind === 'any') return;
    switch (s.kind) {
      case 'string': if (typeof v !== 'string') fail(v, where, 'string'); return;
      case 'bool': if (typeof v !== 'boolean') fail(v, where, 'bool'); return;
      case 'int':
        if (typeof v !== 'number') fail(v, where, s.go);
        if (!Number.isInteger(v) || (s.go.startsWith('uint') && (v as number) < 0)) fail(v, where, s.go, `number ${String(v)}`);
        return;
      case 'strslice':
        if (typeof v === 'string') return;
        if (!Array.isArray(v)) fail(v, where, 'string');
        for (const x of v as unknown[]) walk(x, str, where);
        return;
      case 'array':
        if (!Array.isArray(v)) fail(v, where, s.go);
        for (const x of v as unknown[]) walk(x, s.of, where);
        return;
      case 'map':
        if (!isObject(v)) fail(v, where, s.go);
        for (const x of Object.values(v as object)) walk(x, s.of, where);
        return;
      case 'struct':
        if (!isObject(v)) fail(v, where, s.go);
        for (const [k, x] of Object.entries(v as object)) {
          const f = s.fields[k];
          if (f) walk(x, f, { struct: s.name, path: where ? `${where.path}.${k}` : k });
        }
    }
  };
  walk(value, shape, undefined);
}
