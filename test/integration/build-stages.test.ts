/**
 * `berth build` of multi-stage Dockerfiles and BuildKit's newer instructions: stages the
 * target does not need are skipped, independent stages run side by side, COPY --from a stage
 * (by name or index) or an image, FROM an earlier stage or an ARG; RUN --mount (cache, bind,
 * tmpfs, secret), --network, heredocs, and the automatic platform ARGs.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { TestDaemon } from '../harness';
import { Contexts, berthOk, mustBuild, type BuildCli } from '../build-scenarios';

const d = new TestDaemon('bstage');
const contexts = new Contexts();
const build: BuildCli = (args, opts) => d.cli(['build', ...args], opts);
before(() => d.start());
after(async () => { await d.stop(); await contexts.cleanup(); });

test('stages: unneeded ones skipped, independent ones in parallel, COPY --from by name, index and image, FROM a stage and an ARG', async () => {
  const dir = await contexts.make({
    Dockerfile: `ARG BASE=busybox
FROM \${BASE} AS a
RUN sleep 2 && echo a > /a
FROM busybox AS b
RUN sleep 2 && echo b > /b
FROM busybox AS unused
RUN echo never-run && exit 1
FROM a AS both
COPY --from=b /b /b
FROM busybox
COPY --from=both /a /b /
COPY --from=1 /b /b1
COPY --from=busybox /bin/busybox /bb
RUN cat /a /b /b1 && test -x /bb
`,
  });
  const started = Date.now();
  const out = await mustBuild(build, ['--no-cache', '-t', 'stages:1', dir]);
  const took = Date.now() - started;
  assert.doesNotMatch(out, /never-run|FROM busybox AS unused/, 'the unused stage is not built');
  assert.match(out, /Step 1\/12 : ARG BASE=busybox\nStep 2\/12 : FROM \$\{BASE\} AS a\n/);
  assert.match(out, /Step 4\/12 : FROM busybox AS b\n[^]*Step 6\/12 : FROM a AS both\n[^]*Step 8\/12 : FROM busybox\n/, 'stage order and numbering kept');
  assert.match(out, /\na\nb\nb\n/);
  assert.ok(took < 3900, `two 2 s stages took ${took} ms together: they ran one after the other`);
  const again = await mustBuild(build, ['--build-arg', 'BASE=busybox:latest', dir]);
  assert.equal((again.match(/Using cache/g) ?? []).length, 7, again);
});

test('a failing stage stops the build, reports its error after its own output, and leaves no container', async () => {
  const before = (await berthOk(d, ['ps', '-aq'])).split('\n');
  const dir = await contexts.make({
    Dockerfile: 'FROM busybox AS slow\nRUN sleep 30\nFROM busybox AS bad\nRUN echo failing && exit 4\nFROM busybox\nCOPY --from=slow /etc/hostname /x\nCOPY --from=bad /etc/hostname /y\n',
  });
  const started = Date.now();
  const r = await build(['--no-cache', dir]);
  assert.equal(r.code, 4);
  assert.ok(Date.now() - started < 20_000, 'the slow stage was stopped');
  assert.match(r.stdout, /Step 4\/7 : RUN echo failing && exit 4\n ---> Running in [0-9a-f]{12}\nfailing\nDockerfile:4\n/);
  assert.match(r.stderr, /returned a non-zero code: 4/);
  const left = (await berthOk(d, ['ps', '-aq'])).split('\n').filter((id) => !before.includes(id));
  assert.deepEqual(left, []);
});

test('RUN --mount: cache kept across builds, bind (its content in the cache key), tmpfs, optional secret; --network=none', async () => {
  const dir = await contexts.make({
    Dockerfile: `FROM busybox AS src
RUN mkdir /out && echo from-stage > /out/s
FROM busybox
RUN --mount=type=cache,target=/cache,id=counter echo x >> /cache/n && echo count=$(wc -l < /cache/n)
RUN --mount=type=bind,source=data,target=/data cat /data/v
RUN --mount=type=bind,from=src,source=/out,target=/m cat /m/s
RUN --mount=type=bind,source=data,target=/rw,rw echo scribble > /rw/v && cat /rw/v
RUN --mount=type=tmpfs,target=/scratch,size=1m touch /scratch/x && df -k /scratch | tail -1
RUN --mount=type=secret,id=absent echo no-secret-needed
RUN --network=none ip -o link | wc -l
RUN ls / | grep -E '^(cache|data|m|rw|scratch)$' || echo mount-points-gone
`,
    'data/v': 'bound-1\n',
  });
  const first = await mustBuild(build, ['--no-cache', dir]);
  assert.match(first, /count=1\n/);
  assert.match(first, /\nbound-1\n/);
  assert.match(first, /\nfrom-stage\n/);
  assert.match(first, /\nscribble\n/);
  assert.match(first, /tmpfs +1024 /);
  assert.match(first, /no-secret-needed/);
  assert.match(first, /\n1\n/, 'only lo without a network');
  assert.match(first, /mount-points-gone/);
  const second = await mustBuild(build, ['--no-cache', dir]);
  assert.match(second, /count=2\n/, 'the cache mount kept its content');
  await writeFile(join(dir, 'data/v'), 'bound-2\n');
  const third = await mustBuild(build, [dir]);
  const steps = third.split(/Step \d+\/11 : /).slice(1);
  // FROM lines never say it; the cache mount's content is not part of the key; the changed bind misses, and all after it
  assert.deepEqual(steps.map((s) => / ---> Using cache/.test(s)), [false, true, false, true, false, false, false, false, false, false, false], third);
  assert.match(third, /\nbound-2\n/);
  const required = await build([await contexts.make({ Dockerfile: 'FROM busybox\nRUN --mount=type=secret,id=tok,required cat /run/secrets/tok\n' })]);
  assert.notEqual(required.code, 0);
  assert.match(required.stderr, /secret tok: not found/);
});

test('heredocs: a RUN script, one with a shebang, one fed to a command; COPY <<EOF with and without expansion', async () => {
  const dir = await contexts.make({
    Dockerfile: `FROM busybox
ARG WHO=world
RUN <<EOF
echo line one
echo "line two $WHO" > /two
EOF
RUN <<EOF
#!/bin/sh
echo shebang-script $0
EOF
RUN cat <<EOT > /fed
fed via $WHO
EOT
COPY <<EOF /etc/expanded
hello $WHO "quoted"
EOF
COPY <<"EOF" /etc/literal
hello $WHO
EOF
RUN cat /two /fed /etc/expanded /etc/literal
`,
  });
  const out = await mustBuild(build, ['--no-cache', '--build-arg', 'WHO=berth', dir]);
  assert.match(out, /\nline one\n/);
  assert.match(out, /\nshebang-script \/dev\/pipes\/EOF\n/);
  assert.match(out, /\nline two berth\nfed via berth\nhello berth "quoted"\nhello \$WHO\n/);
});

test('the automatic platform ARGs and variable forms in FROM, ENV and WORKDIR', async () => {
  const dir = await contexts.make({
    Dockerfile: `ARG TAG
FROM busybox:\${TAG:-latest}
ARG TARGETPLATFORM
ARG TARGETARCH
ARG UNSET
ENV P=\${TARGETPLATFORM} A=\${UNSET:-dflt} B=\${UNSET:+set} C=\${TARGETARCH:+has-arch}
WORKDIR /w/\${A}
RUN echo "$P|$A|$B|$C|$(pwd)|$BUILDPLATFORM"
`,
  });
  const out = await mustBuild(build, ['--no-cache', dir]);
  assert.match(out, /\nlinux\/(amd64|arm64)\|dflt\|\|has-arch\|\/w\/dflt\|\n/);
});

test('COPY --chown (names from the image, numbers, a lone user), --chmod, --link, --from an image; --add-host and --network', async () => {
  const dir = await contexts.make({
    Dockerfile: `FROM busybox
RUN echo 'app:x:1234:1234::/:/bin/sh' >> /etc/passwd && echo 'app:x:1234:' >> /etc/group
COPY --chown=app:app f /o/f
COPY --chown=1:2 d /d/
COPY --chown=1 d /e
COPY --chmod=0751 f /m/f
COPY --link f /l/f
COPY --from=busybox /etc/passwd /from-image
RUN stat -c '%n %a %u:%g' /o /o/f /d /d/x /e /e/x /m/f /l/f /from-image && grep special /etc/hosts
RUN ip -o link | wc -l
`,
    f: 'f\n', 'd/x': 'x\n',
  });
  const out = await mustBuild(build, ['--no-cache', '--add-host', 'special.example:10.1.2.3', '--network', 'none', dir]);
  // as Docker 20.10 gives them (--chmod and --link are BuildKit's)
  assert.match(out, /\n\/o 755 1234:1234\n\/o\/f 644 1234:1234\n\/d 755 1:2\n\/d\/x 644 1:2\n\/e 755 1:1\n\/e\/x 644 1:1\n\/m\/f 751 0:0\n\/l\/f 644 0:0\n\/from-image 644 0:0\n10\.1\.2\.3\s+special\.example\n/);
  assert.match(out, /\n1\n/, '--network none leaves only lo');
  const bad = await build([await contexts.make({ Dockerfile: 'FROM busybox\nCOPY --chown=nobody-here f /f\n', f: 'f' })]);
  assert.match(bad.stderr, /unable to convert uid\/gid chown string to host mapping: can't find uid for user nobody-here: no such user: nobody-here/);
});
