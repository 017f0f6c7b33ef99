import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerSummary, ImageSummary } from '../../client';
import { PS_DEFAULT_FORMAT, PS_HEADERS, containerContext, ellipsis } from './container-context';
import { renderRows } from './format';
import { GO_TYPE, renderTemplate } from './go-template';
import { IMAGES_DEFAULT_FORMAT, IMAGES_HEADERS, imageContext, imageRows } from './image-context';
import { humanDuration } from './units';
import { humanSize } from '../../lib/go-units';

test('template fields, nested fields, json, index, join, case, printf', () => {
  const d = { State: { Pid: 4894, Running: true }, Config: { Cmd: ['sleep', '1000'], Labels: { a: 'b', c: 'd' }, Entrypoint: null }, Name: '/t1' };
  assert.equal(renderTemplate('{{.State.Pid}} {{.Config.Cmd}} {{json .Config.Cmd}} {{.Config.Labels}} {{.State.Running}}', d),
    '4894 [sleep 1000] ["sleep","1000"] map[a:b c:d] true');
  assert.equal(renderTemplate('{{.Config.Cmd | json}}|{{index .Config.Labels "a"}}|{{join .Config.Cmd ","}}', d), '["sleep","1000"]|b|sleep,1000');
  assert.equal(renderTemplate('{{upper .Name}} {{lower "AbC"}} {{printf "%s-%d|%5s|%-4s|" .Name 7 "x" "y"}}', d), '/T1 abc /t1-7|    x|y   |');
  assert.equal(renderTemplate('{{json .Config.Entrypoint}} {{.Config.Entrypoint}}', d), 'null <nil>');
  assert.equal(renderTemplate('{{json "<none>"}}', d), '"\\u003cnone\\u003e"');
});

test('template control flow: if/else, range, with, variables, trim markers', () => {
  const d = { Running: false, Labels: { b: '2', a: '1' }, List: ['x', 'y'], Empty: [] };
  assert.equal(renderTemplate('{{if .Running}}up{{else}}down{{end}}', d), 'down');
  assert.equal(renderTemplate('{{if .Running}}up{{else if .List}}list{{end}}', d), 'list');
  assert.equal(renderTemplate('{{range .List}}<{{.}}>{{end}}', d), '<x><y>');
  assert.equal(renderTemplate('{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}', d), 'a=1;b=2;');
  assert.equal(renderTemplate('{{range .Empty}}x{{else}}none{{end}}', d), 'none');
  assert.equal(renderTemplate('{{with .Labels}}{{.a}}{{end}}', d), '1');
  assert.equal(renderTemplate('a  {{- "b" -}}  c', d), 'abc');
  assert.equal(renderTemplate('{{if eq (len .List) 2}}two{{end}}', d), 'two');
  assert.throws(() => renderTemplate('{{.NoSuch}}', d), /map has no entry for key "NoSuch"/);
  assert.throws(() => renderTemplate('{{nosuchfn .}}', d), /function "nosuchfn" not defined/);
});

test('sizes and durations match go-units', () => {
  assert.equal(humanSize(1984172), '1.98MB');
  assert.equal(humanSize(4261234), '4.26MB');
  assert.equal(humanSize(0), '0B');
  assert.equal(humanSize(999999), '1e+03kB');
  assert.equal(humanSize(1500), '1.5kB');
  assert.equal(humanSize(100), '100B');
  assert.equal(humanDuration(500), 'Less than a second');
  assert.equal(humanDuration(1000), '1 second');
  assert.equal(humanDuration(5000), '5 seconds');
  assert.equal(humanDuration(90_000), 'About a minute');
  assert.equal(humanDuration(59 * 60_000), '59 minutes');
  assert.equal(humanDuration(3600_000), 'About an hour');
  assert.equal(humanDuration(5 * 24 * 3600_000), '5 days');
  assert.equal(ellipsis("sh -c 'echo hello world this is long'", 20), "sh -c 'echo hello w…");
});

const NOW = 1_800_000_000_000;
const containers: ContainerSummary[] = [
  { Id: '9df6994ea7c4792ee11a94747a2cfe7b80cf89b740ceab280f2c7c72ae804d77', Names: ['/t3'], Image: 'busybox', ImageID: 'sha256:fc6e', Command: 'true', Created: NOW / 1000 - 1, Ports: [], Labels: {}, State: 'exited', Status: 'Exited (0) Less than a second ago' },
  { Id: '275f2529b86bc6180acc97f0c14bdc040a69c7df2fc274fb439e1377e1b524fa', Names: ['/t2'], Image: 'busybox', ImageID: 'sha256:fc6e', Command: "sh -c 'echo hello world this is long'", Created: NOW / 1000 - 1, Ports: [], Labels: {}, State: 'created', Status: 'Created' },
  { Id: '0623d7f0bb45cf86f4f5d36cfb08c583facb0dd7d502737a2e0059c0f33f971a', Names: ['/t1'], Image: 'busybox', ImageID: 'sha256:fc6e', Command: 'sleep 1000', Created: NOW / 1000 - 1,
    Ports: [{ IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }, { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }], Labels: {}, State: 'running', Status: 'Up Less than a second' },
];

test('ps table matches docker byte for byte', () => {
  const out = renderRows(PS_DEFAULT_FORMAT, containers, { headers: PS_HEADERS, toContext: (c) => containerContext(c, { trunc: true, now: NOW }) });
  assert.equal(out, [
    'CONTAINER ID   IMAGE     COMMAND                  CREATED        STATUS                              PORTS                                     NAMES',
    '9df6994ea7c4   busybox   "true"                   1 second ago   Exited (0) Less than a second ago                                             t3',
    '275f2529b86b   busybox   "sh -c \'echo hello w…"   1 second ago   Created                                                                       t2',
    '0623d7f0bb45   busybox   "sleep 1000"             1 second ago   Up Less than a second               0.0.0.0:8080->80/tcp, [::]:8080->80/tcp   t1',
    ''].join('\n'));
  const custom = renderRows('table {{.ID}}\\t{{.Names}}', containers.slice(0, 1), { headers: PS_HEADERS, toContext: (c) => containerContext(c, { trunc: true, now: NOW }) });
  assert.equal(custom, 'CONTAINER ID   NAMES\n9df6994ea7c4   t3\n');
});

test('images table and json match docker', () => {
  const images: ImageSummary[] = [{ Id: 'sha256:fc6eb0e09386d6cd0374573ae1d4b66cf2d1edd326785e837335cc609d8c7d42', ParentId: '', RepoTags: ['busybox:latest'], RepoDigests: [], Created: NOW / 1000 - 59, Size: 1984172, SharedSize: -1, Labels: null, Containers: -1 }];
  const rf = { headers: IMAGES_HEADERS, toContext: (r: ReturnType<typeof imageRows>[number]) => imageContext(r, { trunc: true, now: NOW }) };
  assert.equal(renderRows(IMAGES_DEFAULT_FORMAT, imageRows(images), rf), [
    'REPOSITORY   TAG       IMAGE ID       CREATED          SIZE',
    'busybox      latest    fc6eb0e09386   59 seconds ago   1.98MB', ''].join('\n'));
  const json = renderRows('json', imageRows(images), rf);
  assert.match(json, /^\{"Containers":"N\/A","CreatedAt":"2027-01-15 07:59:01 \+0000 UTC","CreatedSince":"59 seconds ago","Digest":"\\u003cnone\\u003e","ID":"fc6eb0e09386","Repository":"busybox","SharedSize":"N\/A","Size":"1.98MB","Tag":"latest","UniqueSize":"N\/A","VirtualSize":"1.984MB"\}\n$/);
});

test('go template errors carry Go\'s positions and type names', () => {
  const ctx = { ID: 'abc', [GO_TYPE]: '*formatter.ContainerContext' };
  assert.throws(() => renderTemplate('{{.Nope}}', ctx), { message: `template: :1:2: executing "" at <.Nope>: can't evaluate field Nope in type *formatter.ContainerContext` });
  assert.throws(() => renderTemplate('{{.ID}}\t{{ .Nope}}', ctx), { message: `template: :1:11: executing "" at <.Nope>: can't evaluate field Nope in type *formatter.ContainerContext` });
  assert.throws(() => renderTemplate('a\n{{.Nope}}', { A: 1 }), { message: `template: :2:2: executing "" at <.Nope>: map has no entry for key "Nope"` });
  assert.throws(() => renderTemplate('{{.ID}', ctx), { message: `template: :1: bad character U+007D '}'` });
  assert.throws(() => renderTemplate('{{.ID', ctx), { message: 'template: :1: unclosed action' });
  assert.equal(renderTemplate('{{json .}}', { B: () => 'b', A: 1, L: (k: string) => k, [GO_TYPE]: 'x' }), '{"A":1,"B":"b"}');
});
