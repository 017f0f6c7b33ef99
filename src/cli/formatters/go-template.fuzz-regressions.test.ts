/** Inputs the fuzzer (bench/fuzz/go-template.ts) found crashing the engine, and its property in small. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GO_TYPE, renderTemplate, TemplateError } from './go-template';
import { containerContext } from './container-context';

const data = { Name: '/web', Count: 3, Big: 1e21, Labels: { a: '1' }, List: ['x'] };
const fails = (tpl: string, message: string) => assert.throws(() => renderTemplate(tpl, data), (err) => {
  assert.ok(err instanceof TemplateError);
  assert.equal(err.message, message);
  return true;
});

test('string literals are unquoted as Go does: its escapes work, others are a syntax error, not a SyntaxError', () => {
  assert.equal(renderTemplate('{{"\\x41\\101\\u00e9\\U0001F600\\t"}}', data), 'AAé😀\t');
  assert.equal(renderTemplate('{{index .Labels "\\u0061"}}', data), '1');
  fails('{{"\\q"}}', 'template: :1: invalid syntax');
  fails('{{"\\777"}}', 'template: :1: invalid syntax');
  fails('{{"a\nb"}}', 'template: :1: unterminated quoted string');
  assert.equal(renderTemplate('{{"\u0000x"}}', data), '\u0000x');
});

test('an empty parenthesized pipeline is a parse error', () => {
  fails('{{()}}', 'template: :1: missing value for parenthesized pipeline');
  fails('{{len (|)}}', 'template: :1: missing value for parenthesized pipeline');
});

test('a failing function is `error calling NAME` (Go recovers the panic), not a RangeError', () => {
  fails('{{pad .Name -1 0}}', 'template: :1: error calling pad: strings: negative Repeat count');
  fails('{{pad .Name 2 1000000000}}', 'template: :1: error calling pad: strings: Repeat output length overflow');
  assert.equal(renderTemplate('{{pad .Name 1 2}}', data), ' /web  ');
});

test('printf: a crazy width ends the output with %!(NOVERB); a precision past 100 digits pads with zeros', () => {
  assert.equal(renderTemplate('{{printf "a%5d|%999999999d|b" 1 2}}', data), 'a    1|%!(NOVERB)');
  assert.equal(renderTemplate('{{printf "%.102f" 1.5}}', data), '1.5' + '0'.repeat(101));
});

test('range over an int counts from 0, nothing when negative; a float is an error', () => {
  assert.equal(renderTemplate('{{range .Count}}{{.}}{{end}}', data), '012');
  assert.equal(renderTemplate('{{range -2}}x{{else}}none{{end}}', data), 'none');
  fails('{{range .Big}}{{end}}', "template: :1: range can't iterate over 1e+21");
  fails('{{range 1.5}}{{end}}', "template: :1: range can't iterate over 1.5");
});

test('nesting deeper than the engine recurses is Go\'s depth error, not a stack overflow', () => {
  fails(`${'{{if 1}}'.repeat(20_000)}x${'{{end}}'.repeat(20_000)}`, 'template: :1: max expression depth exceeded');
  fails(`{{len ${'('.repeat(20_000)}"x"${')'.repeat(20_000)}}}`, 'template: :1: max expression depth exceeded');
  assert.equal(renderTemplate(`${'{{with .}}'.repeat(500)}{{.Name}}${'{{end}}'.repeat(500)}`, data), '/web');
});

test('Object.prototype members are neither functions nor fields, and contexts print without their methods', () => {
  fails('{{toString}}', 'template: :1: function "toString" not defined');
  fails('{{if valueOf}}{{end}}', 'template: :1: function "valueOf" not defined');
  fails('{{.constructor}}', 'template: :1:2: executing "" at <.constructor>: map has no entry for key "constructor"');
  assert.equal(renderTemplate('{{index .Labels "constructor"}}|{{index .List 0}}', data), '<no value>|x');
  const ctx = { ID: 'abc', Names: () => 'web', [GO_TYPE]: '*formatter.ContainerContext' };
  assert.equal(renderTemplate('{{.}} {{.Names}}', ctx), 'map[ID:abc] web');
  const ps = containerContext({ Id: 'a'.repeat(64), Names: ['/web'], Labels: { a: '1' } } as unknown as Parameters<typeof containerContext>[0], { trunc: true });
  assert.equal(renderTemplate('{{.Label "a"}}|{{.Label "constructor"}}|{{.Label "toString"}}', ps), '1||');
  assert.throws(() => renderTemplate('{{index . "Names"}}', ctx), { message: "template: :1: error calling index: can't index item of type *formatter.ContainerContext" });
});

const FORMATS = ['{{.Name}}', '{{json .}}', '{{range $k, $v := .Labels}}{{$k}}={{$v}}{{end}}', '{{if .Count}}{{printf "%-5s|%3d" .Name .Count}}{{end}}',
  '{{with .List}}{{index . 0}}{{else}}-{{end}}', '{{pad (upper .Name) 1 1}}', '{{range .Count}}{{len $.List}}{{end}}'];
const TOKENS = ['{{', '}}', '{{end}}', '{{else}}', '{{range .Count}}', '(', ')', '|', '"', '\\', '$', '.', ' ', '-1', '%', 'pad', 'printf'];

test('property: any edit of a real --format renders or throws TemplateError', () => {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 4 }), fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 2 })));
  fc.assert(fc.property(fc.constantFrom(...FORMATS), fc.array(edit, { maxLength: 4 }), (format, edits) => {
    const tpl = edits.reduce((s, [at, del, text]) => s.slice(0, at % (s.length + 1)) + text + s.slice(at % (s.length + 1) + del), format);
    try {
      renderTemplate(tpl, data);
    } catch (err) {
      assert.ok(err instanceof TemplateError, `${JSON.stringify(tpl)}: ${(err as Error).stack}`);
    }
  }), { numRuns: 300 });
});
