import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goJsonError } from './go-json-error';

const go = (s: string) => goJsonError(Buffer.from(s));

test("malformed JSON is described in Go's encoding/json words", () => {
  assert.equal(go('not json'), "invalid character 'o' in literal null (expecting 'u')");
  assert.equal(go('{invalid json'), "invalid character 'i' looking for beginning of object key string");
  assert.equal(go('{"Image": '), 'unexpected EOF');
  assert.equal(go('   '), 'EOF');
  assert.equal(go('{"a" 1}'), "invalid character '1' after object key");
  assert.equal(go('{"a":1 "b":2}'), "invalid character '\"' after object key:value pair");
  assert.equal(go('[1 2]'), "invalid character '2' after array element");
  assert.equal(go('{"a":tru}'), "invalid character '}' in literal true (expecting 'e')");
  assert.equal(go('{"a":-x}'), "invalid character 'x' in numeric literal");
  assert.equal(go('{"a":1.}'), "invalid character '}' after decimal point in numeric literal");
  assert.equal(go('{"a":1e}'), "invalid character '}' in exponent of numeric literal");
  assert.equal(go('"a\\qb"'), "invalid character 'q' in string escape code");
  assert.equal(go('"\u0001"'), "invalid character '\\x01' in string literal");
  assert.equal(go("'x'"), "invalid character '\\'' looking for beginning of value");
  assert.equal(go('{"a":1}}'), 'unexpected content after JSON');
  assert.equal(go('['.repeat(10_001)), 'exceeded max depth');
  assert.equal(go('{"a":[1,{"b":null}],"c":"\\u00e9"}'), undefined);
});
