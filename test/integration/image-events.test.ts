import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDaemon, run } from '../harness';

const d = new TestDaemon('iev');
let tmp = '';
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'berth-iev-test-'));
  await d.start();
});
after(async () => {
  await d.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

interface Ev { Type: string; Action: string; Actor: { ID: string; Attributes: Record<string, string> }; time: number; timeNano: number }

async function ok(args: string[]): Promise<string> {
  const r = await d.cli(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** The events since sinceMs (the API's since is in whole seconds: the rest is cut here by timeNano). */
async function eventsSince(sinceMs: number, filters?: Record<string, string[]>): Promise<Ev[]> {
  const q = `since=${Math.floor(sinceMs / 1000)}&until=${Date.now() / 1000}${filters ? `&filters=${encodeURIComponent(JSON.stringify(filters))}` : ''}`;
  const r = await d.api('GET', `/events?${q}`);
  assert.equal(r.status, 200, r.body);
  return r.body.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Ev).filter((e) => e.timeNano >= sinceMs * 1e6);
}

async function rootfsTar(): Promise<string> {
  const root = join(tmp, 'rootfs');
  await mkdir(join(root, 'bin'), { recursive: true });
  await copyFile('/bin/busybox', join(root, 'bin', 'sh'));
  const tarball = join(tmp, 'rootfs.tar');
  const t = await run('tar', ['-C', root, '-cf', tarball, '.']);
  assert.equal(t.code, 0, t.stderr);
  return tarball;
}

test('tag, rmi and import emit image events with the image ID as Actor.ID', async () => {
  const since = Date.now();
  const busybox = await ok(['image', 'inspect', '-f', '{{.Id}}', 'busybox']);
  await ok(['tag', 'busybox', 'evtest/a:1']);
  await ok(['rmi', 'evtest/a:1']);
  const imported = await ok(['import', await rootfsTar(), 'evtest/imp:1']);
  await ok(['rmi', 'evtest/imp:1']);

  const evs = (await eventsSince(since)).filter((e) => e.Type === 'image');
  const seen = evs.map((e) => [e.Action, e.Actor.ID, e.Actor.Attributes.name]);
  assert.deepEqual(seen, [
    ['tag', busybox, 'evtest/a:1'],
    ['untag', busybox, busybox],
    ['tag', imported, 'evtest/imp:1'],
    ['import', imported, imported],
    ['untag', imported, imported],
    ['delete', imported, imported],
  ]);
  for (const e of evs) assert.equal(typeof e.time, 'number');

  const byType = await eventsSince(since, { type: ['image'], event: ['tag'] });
  assert.deepEqual(byType.map((e) => e.Actor.Attributes.name), ['evtest/a:1', 'evtest/imp:1']);

  const cli = await d.cli(['events', '--since', String(since / 1000), '--until', String(Date.now() / 1000), '--filter', 'type=image']);
  assert.equal(cli.code, 0, cli.stderr);
  // whole seconds: lines from earlier in the same second (the daemon's busybox import) may precede
  const lines = cli.stdout.trimEnd().split('\n');
  assert.ok(lines.every((l) => / image /.test(l)), cli.stdout);
  const tagLine = lines.findIndex((l) => l.endsWith(`image tag ${busybox} (name=evtest/a:1)`));
  assert.ok(tagLine >= 0, cli.stdout);
  assert.match(lines[tagLine], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z image tag /);
  assert.deepEqual(lines.slice(tagLine).map((l) => l.split(' ').slice(1, 4).join(' ')), seen.map(([a, id]) => `image ${a} ${id}`));
  assert.ok(lines.at(-1)!.endsWith(`image delete ${imported} (name=${imported})`), cli.stdout);
});

test('save and load emit one event per image; commit emits tag and a container commit event', async () => {
  const since = Date.now();
  const busybox = await ok(['image', 'inspect', '-f', '{{.Id}}', 'busybox']);
  const file = join(tmp, 'bb.tar');
  await ok(['save', '-o', file, 'busybox']);
  await ok(['load', '-i', file]);
  const cid = await ok(['create', 'busybox', 'true']);
  const committed = await ok(['commit', '-m', 'evmsg', cid, 'evtest/c:2']);
  await ok(['rm', cid]);

  const evs = await eventsSince(since);
  const images = evs.filter((e) => e.Type === 'image').map((e) => [e.Action, e.Actor.ID, e.Actor.Attributes.name]);
  assert.deepEqual(images, [
    ['save', busybox, busybox],
    ['load', busybox, busybox],
    ['tag', committed, 'evtest/c:2'],
  ]);
  const commit = evs.find((e) => e.Type === 'container' && e.Action === 'commit');
  assert.ok(commit, JSON.stringify(evs));
  assert.equal(commit.Actor.ID, cid);
  assert.equal(commit.Actor.Attributes.comment, 'evmsg');
  assert.equal(commit.Actor.Attributes.imageID, committed);
  assert.equal(commit.Actor.Attributes.imageRef, 'evtest/c:2');
  assert.equal(commit.Actor.Attributes.image, 'busybox');
});
