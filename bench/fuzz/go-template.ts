/**
 * The Go-template engine behind `--format` (src/cli/formatters/go-template.ts, go-values.ts).
 * Declared error: TemplateError (Go's `template: ...` messages). Inputs: docker's own
 * `--format` strings with edits, templates nested from actions, pipelines and
 * if/with/range blocks, and raw text; data: a `ps` context (a Go struct with method fields)
 * and an inspect-shaped document. Execution must return or throw TemplateError, within the
 * time budget, and print the same twice.
 */
import * as fc from 'fast-check';
import { GoTemplate, TemplateError } from '../../src/cli/formatters/go-template';
import { containerContext } from '../../src/cli/formatters/container-context';
import { errorClass, returnsOrDeclares, withoutCrashCause, type FuzzTarget } from './property';
import { mutated, rawText } from './mutate';

const declared = withoutCrashCause(errorClass(TemplateError, 'template: '));
/** What Go could never print: JavaScript's own renderings of functions and objects. */
const LEAK = /\[native code\]|\[object |=>|function /;

const INSPECT = {
  Id: 'f'.repeat(64), Name: '/web', Created: '2024-01-02T03:04:05.000000000Z', Args: ['-c', 'sleep 1'],
  State: { Status: 'running', Running: true, Pid: 42, ExitCode: 0, Health: null },
  Config: { Image: 'busybox', Cmd: ['sleep', '1'], Entrypoint: null, Labels: { 'com.docker.compose.project': 'demo', a: '1' }, Env: ['A=1'] },
  Mounts: [{ Type: 'volume', Name: 'data', Source: '/var/lib/x', Destination: '/data', RW: true }],
  NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.2', Aliases: null } }, Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] } },
  SizeRw: 12.5, Count: 3, Neg: -2, Big: 1e21, Empty: {}, List: [],
};
const PS = containerContext({
  Id: 'a'.repeat(64), Names: ['/web'], Image: 'busybox', ImageID: 'sha256:' + 'b'.repeat(64), Command: 'sleep 1',
  Created: 1_700_000_000, State: 'running', Status: 'Up 2 minutes', Ports: [{ PrivatePort: 80, PublicPort: 8080, Type: 'tcp', IP: '0.0.0.0' }],
  Labels: { a: '1' }, Mounts: [{ Type: 'volume', Name: 'data', Source: '/x', Destination: '/data' }], NetworkSettings: { Networks: { bridge: {} } },
} as unknown as Parameters<typeof containerContext>[0], { trunc: true, now: 1_700_000_100_000 });

/** `--format` strings from docker's documentation and berth's own formatters. */
const FORMATS = [
  '{{.ID}}', '{{.Names}}\t{{.Image}}', '{{json .}}', '{{json .Config}}', '{{.State.Status}}', '{{.State.Pid}}',
  '{{range .Mounts}}{{.Source}} -> {{.Destination}}\n{{end}}', '{{index .Config.Labels "com.docker.compose.project"}}',
  '{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}', '{{if .State.Running}}up{{else}}down{{end}}',
  '{{join .Config.Cmd " "}}', '{{printf "%-10s|%5d|%q" .Name 7 .Name}}', '{{upper .Name}} {{lower .Name}} {{title .Name}}',
  '{{with .Config}}{{.Image}}{{end}}', '{{len .Mounts}}', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
  '{{split .Name "/"}}', '{{truncate .Id 12}}', '{{pad .Name 2 3}}', '{{- .Name -}}', '{{/* a comment */}}x',
  '{{.Name | printf "%s!"}}', '{{(index .Mounts 0).Source}}', '{{range $i, $m := .Mounts}}{{$i}}:{{$m.Name}}{{end}}',
  '{{if eq .State.Status "running" "paused"}}live{{else if .State.Pid}}pid{{else}}dead{{end}}',
  '{{$x := .Name}}{{$x}}', '{{range .List}}x{{else}}none{{end}}', '{{and .State.Running .Count}} {{or .Empty .Count}} {{not .List}}',
  '{{.Label "a"}}', '{{.Labels}}', '{{.Ports}}', '{{.Size}}', '{{.RunningFor}}', '{{json .Platform}}', '{{.Args}} {{.SizeRw}} {{.Big}}',
  '{{printf "%.2f %x %t %v %5.1f%%" .SizeRw .Count true .Config.Cmd 3.14159}}', '{{lt 1 2}} {{ge .Count 3}} {{ne "a" "b"}}',
];

const TOKENS = [
  '{{', '}}', '{{-', '-}}', ' ', '{{end}}', '{{else}}', '{{else if .Count}}', '{{range .}}', '{{range .Count}}', '{{if .}}', '{{with .}}',
  '|', '(', ')', '$', '$x', ':=', '=', ',', '.', '..', '"', '`', '\\', 'printf', '%', '%d', '%999999999d', '%.500f', 'json', 'index',
  'len', 'pad', 'truncate', 'range', 'end', '-1', '0', '1e3', '99', 'nil', 'true', '.Neg', '.Big', '/*', '*/', '\n', 'é',
];

const field = fc.constantFrom('.', '.Name', '.Id', '.State', '.State.Running', '.Config.Labels', '.Config.Cmd', '.Mounts', '.List',
  '.Empty', '.Count', '.Neg', '.Big', '.SizeRw', '.NoSuch', '.Config.Labels.a', '.Label', '.Names', '.Size', '$', '$.Name', '$k', '$v',
  '.constructor', '.__proto__', '.toString', '.Config.hasOwnProperty');
const literal = fc.oneof(
  fc.constantFrom('"x"', '"a/b"', '"%s-%d"', '"%v"', '`raw`', '""', 'true', 'false', 'nil', '"constructor"', '"__proto__"', '"length"'),
  fc.integer({ min: -5, max: 20 }).map(String),
  fc.double({ min: -100, max: 100, noNaN: true }).map((n) => n.toFixed(2)),
);
const func = fc.constantFrom('json', 'join', 'split', 'upper', 'lower', 'title', 'truncate', 'pad', 'printf', 'print', 'println',
  'len', 'index', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or', 'not', 'nosuch', 'constructor', '__proto__', 'toString', 'valueOf');

const { template } = fc.letrec<{ template: string; node: string; pipeline: string; command: string; arg: string }>((tie) => ({
  template: fc.array(tie('node'), { maxLength: 4 }).map((ns) => ns.join('')),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', ' ', '\n', '-', '|'),
    tie('pipeline').map((p) => `{{${p}}}`),
    fc.tuple(fc.constantFrom('if', 'with', 'range'), tie('pipeline'), tie('template'), fc.option(tie('template'), { nil: undefined }))
      .map(([k, p, body, els]) => `{{${k} ${p}}}${body}${els === undefined ? '' : `{{else}}${els}`}{{end}}`),
    fc.tuple(tie('pipeline'), tie('template')).map(([p, body]) => `{{range $k, $v := ${p}}}${body}{{end}}`),
  ),
  pipeline: fc.oneof(
    { depthSize: 'small' },
    tie('command'),
    fc.tuple(tie('command'), tie('command')).map(([a, b]) => `${a} | ${b}`),
    fc.tuple(fc.constantFrom('$x', '$k'), tie('command')).map(([v, c]) => `${v} := ${c}`),
  ),
  command: fc.oneof(
    { depthSize: 'small' },
    tie('arg'),
    fc.tuple(func, fc.array(tie('arg'), { maxLength: 3 })).map(([f, args]) => [f, ...args].join(' ')),
    fc.tuple(fc.constantFrom('.Label', '.NoSuch'), literal).map(([f, a]) => `${f} ${a}`),
  ),
  arg: fc.oneof({ depthSize: 'small' }, field, literal, tie('pipeline').map((p) => `(${p})`)),
}));

/** Blocks and parentheses nested deep (Go limits parentheses to 10000, blocks not at all). */
const deep = fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.constantFrom('{{if 1}}', '{{range 1}}', '{{with .}}', '('))
  .map(([n, open]) => (open === '(' ? `{{len ${'('.repeat(n)}"x"${')'.repeat(n)}}}` : `${open.repeat(n)}x${'{{end}}'.repeat(n)}`));

export const templateInput = fc.oneof(
  // Deep inputs take 100-400 ms each: rare, so the others keep their pace.
  { weight: 1, arbitrary: deep },
  { weight: 10, arbitrary: fc.constantFrom(...FORMATS) },
  { weight: 20, arbitrary: mutated(fc.constantFrom(...FORMATS), TOKENS, 5) },
  { weight: 20, arbitrary: template },
  { weight: 10, arbitrary: mutated(template, TOKENS, 3) },
  { weight: 5, arbitrary: rawText('{}.$|()"`-: %\\aZ', 80) },
);

function render(source: string, data: unknown): string | undefined {
  const { value: tpl } = returnsOrDeclares(() => new GoTemplate(source), declared);
  const out = tpl && returnsOrDeclares(() => tpl.execute(data), declared).value;
  if (out && LEAK.test(out) && !LEAK.test(source)) throw new Error(`a JavaScript value leaked into the output: ${JSON.stringify(out)}`);
  return out;
}

export const goTemplateTarget: FuzzTarget = {
  name: 'go-template',
  module: 'src/cli/formatters/go-template.ts, go-values.ts',
  properties: [
    {
      name: 'inspect-data',
      arbitrary: templateInput,
      check(source: string) {
        const first = render(source, INSPECT);
        const again = render(source, INSPECT);
        if (first !== again) throw new Error(`two executions differ: ${JSON.stringify(first)} vs ${JSON.stringify(again)}`);
      },
    },
    {
      name: 'ps-context',
      arbitrary: templateInput,
      check(source: string) {
        render(source, PS);
      },
    },
  ],
};
