import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile, parseInstructionText } from './parse-dockerfile';
import type { Instruction } from './types';

const one = (line: string): Instruction => parseDockerfile(`FROM a\n${line}\n`).stages[0].commands[0];
const failsWith = (dockerfile: string, message: string) => assert.throws(() => parseDockerfile(dockerfile), { message });

test('stages, meta ARGs before the first FROM, stage names lower-cased', () => {
  const df = parseDockerfile('ARG V=1 W\nFROM --platform=$P busybox:$V AS Build\nRUN x\nFROM build\nCOPY --from=build /a /b\n');
  assert.deepEqual(df.metaArgs.map((a) => a.args), [[{ key: 'V', value: '1' }, { key: 'W' }]]);
  assert.equal(df.stages.length, 2);
  const [s0, s1] = df.stages;
  assert.equal(s0.name, 'build');
  assert.equal(s0.baseName, 'busybox:$V');
  assert.equal(s0.platform, '$P');
  assert.equal(s0.from.original, 'FROM --platform=$P busybox:$V AS Build');
  assert.deepEqual(s0.commands.map((c) => c.kind), ['run']);
  assert.equal(s1.name, undefined);
  assert.equal(s1.line, 4);
  assert.equal(df.escapeToken, '\\');
});

test('RUN: shell and exec forms, mounts, network, heredoc files', () => {
  assert.deepEqual(one('RUN echo  "a b" \\\n  c'), { kind: 'run', shell: true, cmd: ['echo  "a b"   c'], heredocs: [], mounts: [], mountSpecs: [], line: 2, endLine: 3, original: 'RUN echo  "a b"   c' });
  const exec = one('RUN ["sh", "-c", "x"]');
  assert.equal(exec.kind === 'run' && exec.shell, false);
  assert.deepEqual(exec.kind === 'run' && exec.cmd, ['sh', '-c', 'x']);
  const r = one('RUN --mount=type=cache,target=/c,id=go --mount=type=secret,id=tok --network=none <<-EOF\n\techo hi\n\tEOF');
  assert.equal(r.kind, 'run');
  if (r.kind !== 'run') return;
  assert.deepEqual(r.mounts, [
    { type: 'cache', target: '/c', id: 'go', readOnly: false, required: false },
    { type: 'secret', id: 'tok', readOnly: true, required: false },
  ]);
  assert.equal(r.network, 'none');
  assert.deepEqual(r.cmd, ['<<-EOF']);
  assert.deepEqual(r.heredocs, [{ name: 'EOF', data: 'echo hi\n', chomp: true, expand: true }]);
  failsWith('FROM a\nRUN --network=bridge x\n', 'dockerfile parse error line 2: invalid network mode "bridge"');
  failsWith('FROM a\nRUN --mount=type=nfs x\n', 'dockerfile parse error line 2: unsupported mount type "nfs"');
});

test('CMD and ENTRYPOINT: exec and shell forms; SHELL only JSON', () => {
  assert.deepEqual(one('CMD ["a", "b"]'), { kind: 'cmd', shell: false, cmd: ['a', 'b'], line: 2, endLine: 2, original: 'CMD ["a", "b"]' });
  const e = one('ENTRYPOINT top -b');
  assert.deepEqual(e.kind === 'entrypoint' && [e.shell, e.cmd], [true, ['top -b']]);
  const s = one('SHELL ["/bin/bash", "-c"]');
  assert.deepEqual(s.kind === 'shell' && s.shell, ['/bin/bash', '-c']);
  failsWith('FROM a\nSHELL bash -c\n', 'dockerfile parse error line 2: SHELL requires the arguments to be in JSON form');
  failsWith('FROM a\nSHELL []\n', 'dockerfile parse error line 2: SHELL requires at least one argument');
});

test('COPY and ADD: flags, sources, heredoc sources', () => {
  const c = one('COPY --from=build --chown=1:2 --chmod=644 --link --parents --exclude=*.md --exclude=x a b /dst/');
  assert.deepEqual(c, {
    kind: 'copy', sources: ['a', 'b'], dest: '/dst/', heredocs: [], from: 'build', chown: '1:2', chmod: '644',
    link: true, parents: true, exclude: ['*.md', 'x'], line: 2, endLine: 2,
    original: 'COPY --from=build --chown=1:2 --chmod=644 --link --parents --exclude=*.md --exclude=x a b /dst/',
  });
  const a = one('ADD --checksum=sha256:abc --keep-git-dir=false http://x/y.tgz /d');
  assert.equal(a.kind, 'add');
  if (a.kind !== 'add') return;
  assert.deepEqual([a.checksum, a.keepGitDir, a.unpack, a.link], ['sha256:abc', false, undefined, false]);
  const h = one('COPY <<one <<"two" /dst/\n1 $x\none\n2 $x\ntwo');
  assert.deepEqual(h.kind === 'copy' && h.heredocs, [
    { path: 'one', data: '1 $x\n', expand: true }, { path: 'two', data: '2 $x\n', expand: false },
  ]);
  const json = one('COPY ["a b", "/c d/"]');
  assert.deepEqual(json.kind === 'copy' && [json.sources, json.dest], [['a b'], '/c d/']);
  failsWith('FROM a\nCOPY a\n', 'dockerfile parse error line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined');
  failsWith('FROM a\nCOPY a <<EOF\nx\nEOF\n', 'dockerfile parse error line 2: COPY cannot accept a heredoc as a destination');
  failsWith('FROM a\nADD --from=x a b\n', 'dockerfile parse error line 2: Unknown flag: from');
});

test('ENV, LABEL, ARG keep their words unexpanded', () => {
  assert.deepEqual(one('ENV a=1 b="2 3" c=$a').kind === 'env' && (one('ENV a=1 b="2 3" c=$a') as { pairs: unknown }).pairs,
    [{ key: 'a', value: '1' }, { key: 'b', value: '"2 3"' }, { key: 'c', value: '$a' }]);
  const old = one('ENV key  some value');
  assert.deepEqual(old.kind === 'env' && old.pairs, [{ key: 'key', value: 'some value' }]);
  const l = one('LABEL "com.x"="y" z=');
  assert.deepEqual(l.kind === 'label' && l.pairs, [{ key: '"com.x"', value: '"y"' }, { key: 'z', value: '' }]);
  const arg = one('ARG a b= c=d');
  assert.deepEqual(arg.kind === 'arg' && arg.args, [{ key: 'a' }, { key: 'b', value: '' }, { key: 'c', value: 'd' }]);
  failsWith('FROM a\nENV =x\n', 'dockerfile parse error line 2: ENV names can not be blank');
  failsWith('FROM a\nARG =x\n', 'dockerfile parse error line 2: ARG names can not be blank');
  failsWith('FROM a\nLABEL\n', 'dockerfile parse error line 2: LABEL requires at least one argument');
});

test('single-word instructions and their argument counts', () => {
  assert.deepEqual(one('EXPOSE 8080 80/tcp $P').kind === 'expose' && (one('EXPOSE 8080 80/tcp $P') as { ports: string[] }).ports, ['$P', '80/tcp', '8080']);
  const v = one('VOLUME ["/a", "/b"]');
  assert.deepEqual(v.kind === 'volume' && v.volumes, ['/a', '/b']);
  const w = one('VOLUME /a /b');
  assert.deepEqual(w.kind === 'volume' && w.volumes, ['/a', '/b']);
  const u = one('USER a b');
  assert.equal(u.kind === 'user' && u.user, 'a b');
  const s = one('STOPSIGNAL SIGKILL');
  assert.equal(s.kind === 'stopsignal' && s.signal, 'SIGKILL');
  const m = one('MAINTAINER me <me@x>');
  assert.equal(m.kind === 'maintainer' && m.maintainer, 'me <me@x>');
  failsWith('FROM a\nWORKDIR\n', 'dockerfile parse error line 2: WORKDIR requires exactly one argument');
  failsWith('FROM a\nEXPOSE\n', 'dockerfile parse error line 2: EXPOSE requires at least one argument');
  failsWith('FROM a\nVOLUME [""]\n', 'dockerfile parse error line 2: VOLUME specified can not be an empty string');
  failsWith('FROM a\nUSER --x=1 me\n', 'dockerfile parse error line 2: Unknown flag: x');
});

test('HEALTHCHECK: NONE, CMD forms, durations in nanoseconds, Docker\'s errors', () => {
  const h = one('HEALTHCHECK --interval=5s --timeout=1m30s --start-period=0s --start-interval=500ms --retries=3 CMD curl -f x');
  assert.deepEqual(h.kind === 'healthcheck' && h.health, {
    test: ['CMD-SHELL', 'curl -f x'], interval: 5e9, timeout: 90e9, startPeriod: 0, startInterval: 5e8, retries: 3,
  });
  const j = one('HEALTHCHECK CMD ["/bin/check", "-q"]');
  assert.deepEqual(j.kind === 'healthcheck' && j.health.test, ['CMD', '/bin/check', '-q']);
  const n = one('HEALTHCHECK NONE');
  assert.deepEqual(n.kind === 'healthcheck' && n.health, { test: ['NONE'] });
  failsWith('FROM a\nHEALTHCHECK --interval=1 CMD x\n', 'dockerfile parse error line 2: time: missing unit in duration "1"');
  failsWith('FROM a\nHEALTHCHECK --interval=1ns CMD x\n', 'dockerfile parse error line 2: Interval "interval" cannot be less than 1ms');
  failsWith('FROM a\nHEALTHCHECK FOO x\n', 'dockerfile parse error line 2: Unknown type "FOO" in HEALTHCHECK (try CMD)');
  failsWith('FROM a\nHEALTHCHECK NONE x\n', 'dockerfile parse error line 2: HEALTHCHECK NONE takes no arguments');
  failsWith('FROM a\nHEALTHCHECK CMD\n', 'dockerfile parse error line 2: Missing command after HEALTHCHECK CMD');
  failsWith('FROM a\nHEALTHCHECK --retries=x CMD x\n', 'dockerfile parse error line 2: strconv.ParseInt: parsing "x": invalid syntax');
  failsWith('FROM a\nHEALTHCHECK --retries=-1 CMD x\n', 'dockerfile parse error line 2: --retries cannot be negative (-1)');
});

test('ONBUILD keeps the trigger text; the trigger parses later as its own instruction', () => {
  const o = one('ONBUILD  run echo "$HOME"');
  assert.equal(o.kind === 'onbuild' && o.expression, 'run echo "$HOME"');
  const trig = parseInstructionText('run echo "$HOME"');
  assert.deepEqual(trig.kind === 'run' && trig.cmd, ['echo "$HOME"']);
  const withHeredoc = one('ONBUILD COPY <<EOF /x\nhi\nEOF');
  assert.equal(withHeredoc.kind === 'onbuild' && withHeredoc.expression, 'COPY <<EOF /x\nhi\nEOF');
  const copied = parseInstructionText((withHeredoc as { expression: string }).expression);
  assert.deepEqual(copied.kind === 'copy' && copied.heredocs, [{ path: 'EOF', data: 'hi\n', expand: true }]);
  failsWith('FROM a\nONBUILD ONBUILD RUN x\n', 'dockerfile parse error line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
  failsWith('FROM a\nONBUILD FROM x\n', 'dockerfile parse error line 2: FROM isn\'t allowed as an ONBUILD trigger');
  failsWith('FROM a\nONBUILD MAINTAINER x\n', 'dockerfile parse error line 2: MAINTAINER isn\'t allowed as an ONBUILD trigger');
});

test('errors in Docker 20.10\'s words with the line number', () => {
  failsWith('FROM a\nRUN true\nFOO bar\n', 'dockerfile parse error line 3: unknown instruction: FOO');
  failsWith('FROM a\nCOPY --bogus a b\n', 'dockerfile parse error line 2: Unknown flag: bogus');
  failsWith('FROM a\nCOPY --from a b\n', 'dockerfile parse error line 2: Missing a value on flag: from');
  failsWith('FROM a\nCOPY --chown=a --chown=b a b\n', 'dockerfile parse error line 2: Duplicate flag specified: chown');
  failsWith('FROM a\nCOPY --link=maybe a b\n', 'dockerfile parse error line 2: Expecting boolean value for flag link, not: maybe');
  failsWith('RUN x\n', 'dockerfile parse error line 1: no build stage in current context');
  failsWith('FROM a b\n', 'dockerfile parse error line 1: FROM requires either one or three arguments');
  failsWith('FROM a AS 1x\n', 'dockerfile parse error line 1: invalid name for build stage: "1x", name can\'t start with a number or contain symbols');
});
