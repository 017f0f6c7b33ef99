import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestDaemon } from '../harness';

const d = new TestDaemon('commit');
before(() => d.start());
after(() => d.stop());

async function ok(args: string[]): Promise<string> {
  const r = await d.cli(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('commit stores the container layer: added files and whiteouts', async () => {
  await ok(['run', '--name', 'cm-base', 'busybox', 'sh', '-c', 'echo hi > /hello && rm /bin/vi && mkdir -p /d && echo x > /d/f && ln /d/f /d/g']);
  const id = (await ok(['commit', 'cm-base', 'snap:1'])).trim();
  assert.match(id, /^sha256:[0-9a-f]{64}$/);
  assert.equal((await ok(['image', 'inspect', '-f', '{{.Id}}', 'snap:1'])).trim(), id);
  const out = await ok(['run', '--rm', 'snap:1', 'sh', '-c', 'cat /hello; cat /d/g; test -e /bin/vi && echo vi-present || echo vi-gone']);
  assert.equal(out, 'hi\nx\nvi-gone\n');

  const layers = JSON.parse(await ok(['image', 'inspect', '-f', '{{json .RootFS.Layers}}', 'snap:1'])) as string[];
  const baseLayers = JSON.parse(await ok(['image', 'inspect', '-f', '{{json .RootFS.Layers}}', 'busybox'])) as string[];
  assert.deepEqual(layers.slice(0, -1), baseLayers);
  assert.equal(layers.length, baseLayers.length + 1);
  const parent = (await ok(['image', 'inspect', '-f', '{{.Parent}}', 'snap:1'])).trim();
  assert.equal(parent, (await ok(['image', 'inspect', '-f', '{{.Id}}', 'busybox'])).trim());
  const hist = await ok(['history', '--no-trunc', '--format', '{{.CreatedBy}}', 'snap:1']);
  assert.match(hist.split('\n')[0], /^sh -c echo hi > \/hello/);
});

test('an opaque directory hides the lower layers under it', async () => {
  await ok(['run', '--name', 'cm-o1', 'busybox', 'sh', '-c', 'mkdir /o && touch /o/a']);
  await ok(['commit', 'cm-o1', 'snap:o1']);
  await ok(['run', '--name', 'cm-o2', 'snap:o1', 'sh', '-c', 'rm -rf /o && mkdir /o && touch /o/b']);
  await ok(['commit', 'cm-o2', 'snap:o2']);
  assert.equal(await ok(['run', '--rm', 'snap:o2', 'ls', '/o']), 'b\n');
});

test('commit applies -c changes, -a and -m', async () => {
  await ok(['run', '--name', 'cm-changes', 'busybox', 'sh', '-c', 'echo from-snap > /hello']);
  await ok(['commit', '-a', 'Ann <ann@example.com>', '-m', 'my message', '-c', 'CMD ["cat","/hello"]', '-c', 'ENV A=b', 'cm-changes', 'snap:2']);
  assert.equal(await ok(['run', '--rm', 'snap:2']), 'from-snap\n');
  assert.equal(await ok(['run', '--rm', 'snap:2', 'sh', '-c', 'echo $A']), 'b\n');
  const info = JSON.parse(await ok(['image', 'inspect', 'snap:2']))[0];
  assert.equal(info.Author, 'Ann <ann@example.com>');
  assert.equal(info.Comment, 'my message');
  assert.deepEqual(info.Config.Cmd, ['cat', '/hello']);
  assert.ok(info.Config.Env.includes('A=b'), JSON.stringify(info.Config.Env));
  const hist = await ok(['history', '--format', '{{.Comment}}', 'snap:2']);
  assert.equal(hist.split('\n')[0], 'my message');
});

test('commit of a running container leaves it running', async () => {
  await ok(['run', '-d', '--name', 'cm-live', 'busybox', 'sh', '-c', 'echo live > /live; sleep 1000']);
  await new Promise((r) => setTimeout(r, 300));
  await ok(['commit', 'cm-live', 'snap:live']);
  assert.equal((await ok(['inspect', '-f', '{{.State.Status}}', 'cm-live'])).trim(), 'running');
  assert.equal(await ok(['run', '--rm', 'snap:live', 'cat', '/live']), 'live\n');
  await ok(['commit', '--pause=false', 'cm-live']);
  assert.equal((await ok(['inspect', '-f', '{{.State.Status}}', 'cm-live'])).trim(), 'running');
});

test('commit errors in Docker words', async () => {
  const r = await d.cli(['commit', 'x']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Error response from daemon: No such container: x\n');
  const api = await d.api('POST', '/commit?container=nosuch');
  assert.equal(api.status, 404);
  await ok(['create', '--name', 'cm-bad', 'busybox']);
  const bad = await d.api('POST', '/commit?container=cm-bad&repo=Bad:Repo');
  assert.equal(bad.status, 400, bad.body);
});

test('a Config in the commit body merges with the container\'s: Env by name, Labels by key', async () => {
  const c = await d.cli(['run', '--name', 'merge-src', '-e', 'A=1', '-e', 'B=1', '-l', 'x=1', 'busybox', 'true']);
  assert.equal(c.code, 0, c.stderr);
  const r = await d.api('POST', '/commit?container=merge-src&repo=merged&tag=1', { Env: ['B=2', 'C=3'], Labels: { y: '2' } });
  assert.equal(r.status, 201, r.body);
  const img = (await d.api('GET', '/images/merged:1/json')).json;
  const env: string[] = img.Config.Env;
  assert.ok(env.includes('A=1') && env.includes('B=2') && env.includes('C=3') && !env.includes('B=1'), env.join(' '));
  assert.deepEqual(img.Config.Labels, { x: '1', y: '2' });
  await d.cli(['rm', 'merge-src']);
  await d.cli(['rmi', 'merged:1']);
});
