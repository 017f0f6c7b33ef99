/**
 * `berth build` against a berthd of the test's own: every instruction (results as Docker
 * 20.10's builder gives them), the cache (a rebuild runs no container, a changed file or
 * build arg misses only from where it is used, --no-cache, a daemon restart), contexts
 * (.dockerignore, stdin, tar files, a Dockerfile outside the context), the flags, and bad
 * input reported with Docker's words and the Dockerfile line.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { TestDaemon, run } from '../harness';
import { Contexts, allInstructionsContext, berthOk, checkAllInstructions, checkOnbuild, mustBuild, type BuildCli } from '../build-scenarios';

const d = new TestDaemon('build');
const contexts = new Contexts();
const build: BuildCli = (args, opts) => d.cli(['build', ...args], opts);
before(() => d.start());
after(async () => { await d.stop(); await contexts.cleanup(); });

/** Runs a shell command line with the test daemon's berth as `$BERTH`. */
const sh = (cmd: string) => run('sh', ['-c', cmd], { env: { BERTH: `${process.execPath} ${join(__dirname, '..', '..', '..', 'bin', 'berth')} -H ${d.host}` } });

test('every instruction, with the history, config and files Docker 20.10 gives; ONBUILD runs in a child', async () => {
  const out = await mustBuild(build, ['-t', 'all:1', await allInstructionsContext(contexts)]);
  assert.match(out, /^Sending build context to Docker daemon {2}\S+\nStep 1\/25 : ARG BASE=busybox\nStep 2\/25 : FROM \$\{BASE\} AS base\n ---> [0-9a-f]{12}\n/);
  assert.match(out, /Step 15\/25 : RUN echo \$FOO \$B > out.txt && ls -la\n ---> Running in [0-9a-f]{12}\n[^]*out\.txt\nRemoving intermediate container [0-9a-f]{12}\n ---> [0-9a-f]{12}\n/);
  assert.match(out, /Successfully built ([0-9a-f]{12})\nSuccessfully tagged all:1\n$/);
  await checkAllInstructions(d, 'all:1');
  await checkOnbuild(build, contexts, d, 'all:1', 'all-child:1');
});

test('a rebuild with nothing changed is all cache and runs no container', async () => {
  const dir = await contexts.make({ Dockerfile: 'FROM busybox\nENV A=1\nWORKDIR /w\nCOPY f .\nRUN echo ran > r\nCMD ["sh"]\n', f: 'f\n' });
  const first = await mustBuild(build, ['-q', dir]);
  const started = Date.now();
  const again = await mustBuild(build, [dir]);
  const took = Date.now() - started;
  assert.equal((again.match(/ ---> Using cache\n/g) ?? []).length, 5, again);
  assert.doesNotMatch(again, /Running in/);
  assert.match(again, new RegExp(`Successfully built ${first.trim().slice(7, 19)}\\n`));
  assert.ok(took < 5000, `cached rebuild took ${took} ms`);
  const seen = await berthOk(d, ['events', '--filter', 'type=container', '--since', String(started / 1000), '--until', String(Date.now() / 1000 + 1)]);
  assert.doesNotMatch(seen, /container create/, 'no container was created');
});

test('a changed file misses from the COPY that uses it; a changed build arg from its first use', async () => {
  const dir = await contexts.make({ Dockerfile: 'FROM busybox\nRUN echo one\nCOPY a /a\nRUN echo two\nCOPY b /b\n', a: 'a\n', b: 'b\n' });
  await mustBuild(build, [dir]);
  await writeFile(join(dir, 'b'), 'b changed\n');
  const out = await mustBuild(build, [dir]);
  const steps = out.split(/Step \d+\/5 : /).slice(1);
  assert.deepEqual(steps.map((s) => / ---> Using cache/.test(s)), [false, true, true, true, false], out);
  // mtimes alone change nothing
  execFileSync('touch', ['-d', '2001-01-01', join(dir, 'a'), join(dir, 'b')]);
  assert.equal((( await mustBuild(build, [dir])).match(/Using cache/g) ?? []).length, 4);

  const args = await contexts.make({ Dockerfile: 'FROM busybox\nARG V=1\nENV X=1\nRUN echo v=$V\nRUN echo after\n' });
  await mustBuild(build, [args]);
  const changed = await mustBuild(build, ['--build-arg', 'V=2', args]);
  const s = changed.split(/Step \d+\/5 : /).slice(1);
  assert.deepEqual(s.map((x) => / ---> Using cache/.test(x)), [false, true, true, false, false], changed);
  assert.match(changed, /v=2\n/);
  const noCache = await mustBuild(build, ['--no-cache', '--build-arg', 'V=2', args]);
  assert.doesNotMatch(noCache, /Using cache/);
});

test('the cache survives a daemon restart', async () => {
  const dir = await contexts.make({ Dockerfile: 'FROM busybox\nCOPY f /f\nRUN cat /f\n', f: 'restart\n' });
  await mustBuild(build, [dir]);
  await d.kill();
  await d.start();
  const out = await mustBuild(build, [dir]);
  assert.equal((out.match(/Using cache/g) ?? []).length, 2, out);
});

test('.dockerignore: **, ! exceptions, last match wins; <Dockerfile>.dockerignore beside the Dockerfile wins', async () => {
  const dir = await contexts.make({
    Dockerfile: 'FROM busybox\nCOPY . /ctx\nRUN cd /ctx && find . -type f | sort\n',
    '.dockerignore': '**/*.log\n!keep.log\nsecret\ndocs\n!docs/README.md\nbuild/*\n',
    'a.log': 'x', 'keep.log': 'k', 'sub/b.log': 'x', secret: 's', 'docs/README.md': 'r', 'docs/other.md': 'o',
    'build/out': 'o', 'src/main.c': 'c',
  });
  const out = await mustBuild(build, [dir]);
  const listed = out.slice(out.indexOf('Running in')).split('\n').filter((l) => l.startsWith('./'));
  assert.deepEqual(listed, ['./.dockerignore', './Dockerfile', './docs/README.md', './keep.log', './src/main.c']);
  const own = await contexts.make({
    'df/app.Dockerfile': 'FROM busybox\nCOPY . /ctx\nRUN cd /ctx && find . -type f | sort\n',
    'df/app.Dockerfile.dockerignore': 'x\n', '.dockerignore': 'y\n', x: 'x', y: 'y',
  });
  const o2 = await mustBuild(build, ['-f', join(own, 'df/app.Dockerfile'), own]);
  assert.deepEqual(o2.slice(o2.indexOf('Running in')).split('\n').filter((l) => l.startsWith('./')),
    ['./.dockerignore', './df/app.Dockerfile', './df/app.Dockerfile.dockerignore', './y']);
});

test('contexts: a Dockerfile on stdin, a tar on stdin, a tar file, -f - with a directory, -f outside the context', async () => {
  const out = await build(['-t', 'stdin:df', '-'], { input: 'FROM busybox\nRUN echo from-stdin\n' });
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /from-stdin/);
  const dir = await contexts.make({ Dockerfile: 'FROM busybox\nCOPY f /f\nRUN cat /f\n', f: 'in-tar\n', 'other/Dockerfile.x': 'FROM busybox\nCOPY f /g\nRUN cat /g; ls -a /\n' });
  const tar = join(await contexts.make({}), 'ctx.tar.gz');
  execFileSync('tar', ['-czf', tar, '-C', dir, '.']);
  const viaStdin = await sh(`$BERTH build --no-cache - < ${tar}`);
  assert.equal(viaStdin.code, 0, viaStdin.stderr);
  assert.match(viaStdin.stdout, /\nin-tar\n/);
  const viaFile = await mustBuild(build, ['--no-cache', tar]);
  assert.match(viaFile, /\nin-tar\n/);
  const dfStdin = await sh(`$BERTH build --no-cache -f - ${dir} < ${join(dir, 'other/Dockerfile.x')}`);
  assert.equal(dfStdin.code, 0, dfStdin.stderr);
  assert.match(dfStdin.stdout, /\nin-tar\n/);
  assert.doesNotMatch(dfStdin.stdout, /\.dockerfile\./, 'the added Dockerfile stays out of the context');
  const outside = await contexts.make({ 'Dockerfile.out': 'FROM busybox\nCOPY f /f\nRUN cat /f\n' });
  assert.match(await mustBuild(build, ['--no-cache', '-f', join(outside, 'Dockerfile.out'), dir]), /\nin-tar\n/);
});

test('-q prints only the ID, --iidfile writes it; --label, --target, --build-arg and the unused-arg warning', async () => {
  const dir = await contexts.make({
    Dockerfile: 'FROM busybox AS one\nARG USED\nRUN echo used=$USED\nFROM one AS two\nRUN echo stage-two\nFROM two\nRUN exit 9\n',
  });
  const iid = join(await contexts.make({}), 'iid');
  const q = await mustBuild(build, ['-q', '--iidfile', iid, '--target', 'two', '--label', 'l1=v1', '--label', 'l2', '--build-arg', 'USED=u', '--build-arg', 'NOPE=x', '-t', 'flags:1', dir]);
  assert.match(q, /^sha256:[0-9a-f]{64}\n$/);
  assert.equal(await readFile(iid, 'utf8'), q.trim());
  const info = JSON.parse(await berthOk(d, ['image', 'inspect', 'flags:1']))[0];
  assert.equal(info.Id, q.trim());
  assert.deepEqual(info.Config.Labels, { l1: 'v1', l2: '' });
  const loud = await mustBuild(build, ['--target', 'two', '--build-arg', 'USED=u', '--build-arg', 'NOPE=x', dir]);
  assert.match(loud, /Step 5\/5 : RUN echo stage-two\n/);
  assert.doesNotMatch(loud, /exit 9/);
  assert.match(loud, /\[Warning\] One or more build-args \[NOPE\] were not consumed\n/);
  const bad = await build(['--target', 'nope', dir]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /failed to reach build target nope in Dockerfile/);
});

test('bad input: parse errors with their line, missing or escaping sources, --from of nothing, a failing RUN', async () => {
  const bad = async (dockerfile: string, files: Record<string, string | { symlink: string }> = {}) => {
    const r = await build([await contexts.make({ Dockerfile: dockerfile, ...files })]);
    assert.notEqual(r.code, 0, `${dockerfile} built`);
    return r;
  };
  assert.match((await bad('FROM busybox\nFOO bar\n')).stderr, /dockerfile parse error (on )?line 2: unknown instruction: FOO/i);
  assert.match((await bad('FROM busybox\nRUN --nope=1 true\n')).stderr, /line 2: .*nope/i);
  assert.match((await bad('FROM busybox\nRUN <<EOF\necho never ends\n')).stderr, /line 2.*(heredoc|EOF)|unterminated heredoc/i);
  const missing = await bad('FROM busybox\nCOPY nope /\n');
  assert.match(missing.stderr, /^COPY failed: file not found in build context or excluded by \.dockerignore: stat nope: file does not exist\n/);
  assert.match(missing.stdout, /Dockerfile:2\n-+\n {3}1 \| {5}FROM busybox\n {3}2 \| >>> COPY nope \/\n-+\n/);
  assert.match((await bad('FROM busybox\nCOPY ../x /\n')).stderr, /COPY failed: forbidden path outside the build context: \.\.\/x \(\)/);
  assert.match((await bad('FROM busybox\nCOPY link /\n', { link: { symlink: '/etc/passwd' } })).stderr, /COPY failed: file not found in build context or excluded by \.dockerignore: stat link: file does not exist/);
  assert.match((await bad('FROM busybox\nCOPY --from=nope /x /\n')).stderr, /invalid from flag value nope: No such image: nope:latest/);
  assert.match((await bad('FROM busybox\nCOPY --from=1 /x /\n')).stderr, /invalid from flag value 1: index out of bounds/);

  const before = (await berthOk(d, ['ps', '-aq', '--no-trunc'])).split('\n');
  const fail = await build(['-t', 'never:1', await contexts.make({ Dockerfile: 'FROM busybox\nRUN echo partial\nRUN echo out; echo err >&2; exit 3\n' })]);
  assert.equal(fail.code, 3);
  assert.match(fail.stdout, /\nout\n/);
  assert.match(fail.stdout, /\u001b\[91merr\n\u001b\[0m/);
  assert.equal(fail.stderr, "The command '/bin/sh -c echo out; echo err >&2; exit 3' returned a non-zero code: 3\n");
  assert.equal((await d.cli(['image', 'inspect', 'never:1'])).code, 1, 'nothing tagged');
  const left = (await berthOk(d, ['ps', '-aq', '--no-trunc'])).split('\n').filter((id) => !before.includes(id));
  assert.deepEqual(left, [], 'no step container left');
});

test('--cache-from reuses the steps of a named image once the cache has forgotten them', async () => {
  const dir = await contexts.make({ Dockerfile: 'FROM busybox\nENV CF=1\nCOPY f /f\nRUN echo cache-from > /r\n', f: 'cf\n' });
  await mustBuild(build, ['-t', 'cf:1', dir]);
  await berthOk(d, ['builder', 'prune', '-a', '-f']);
  const withFrom = await mustBuild(build, ['--cache-from', 'cf:1', '-t', 'cf:2', dir]);
  assert.equal((withFrom.match(/Using cache/g) ?? []).length, 3, withFrom);
  assert.equal((await berthOk(d, ['image', 'inspect', '-f', '{{.Id}}', 'cf:2'])), await berthOk(d, ['image', 'inspect', '-f', '{{.Id}}', 'cf:1']));
  await berthOk(d, ['builder', 'prune', '-a', '-f']);
  assert.match(await mustBuild(build, ['--cache-from', 'nope:1', dir]), / ---> Running in /, 'an unknown source is skipped');
});

test('builder prune and system df account for the cache', async () => {
  await build([await contexts.make({ Dockerfile: 'FROM busybox\nRUN head -c 100000 /dev/zero > /blob\nRUN exit 1\n' })]);
  const df = JSON.parse((await d.api('GET', '/system/df')).body);
  const records = df.BuildCache as Array<{ Type: string; Size: number; Shared: boolean; Description: string }>;
  const dangling = records.find((r) => r.Description.includes('head -c 100000'));
  assert.ok(dangling && dangling.Size >= 100000 && !dangling.Shared, JSON.stringify(records));
  const dfText = await berthOk(d, ['system', 'df']);
  assert.match(dfText, /Build Cache\s+\d+/);
  const pruned = await berthOk(d, ['builder', 'prune', '-f']);
  assert.match(pruned, /^Deleted build cache objects:\n([0-9a-f]{25}\n)+\nTotal reclaimed space: \d/);
  const after = JSON.parse((await d.api('GET', '/system/df')).body).BuildCache as Array<{ Description: string; Shared: boolean }>;
  assert.equal(after.filter((r) => !r.Shared).length, 0, JSON.stringify(after));
  assert.equal((await d.cli(['images', '-q', '--filter', 'dangling=true'])).stdout, '', 'the dangling step images went with their records');
  const all = await berthOk(d, ['builder', 'prune', '-a', '-f']);
  assert.match(all, /Total reclaimed space: /);
  assert.equal(JSON.parse((await d.api('GET', '/system/df')).body).BuildCache.length, 0);
});
