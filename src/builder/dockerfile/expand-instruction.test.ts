import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from './parse-dockerfile';
import { expandInstruction } from './expand-instruction';
import type { Instruction } from './types';

const env: Record<string, string> = { A: 'aa', B: 'b c', P: '80 443/udp', U: '1000', D: '/data', ID: 'gocache' };
const lookup = (k: string) => env[k];
const expanded = (line: string): Instruction =>
  expandInstruction(parseDockerfile(`FROM x\n${line}\n`).stages[0].commands[0], lookup);

test('ENV and LABEL: keys and values; ARG: defaults only', () => {
  const e = expanded('ENV $A=${B} k="$A x"');
  assert.deepEqual(e.kind === 'env' && e.pairs, [{ key: 'aa', value: 'b c' }, { key: 'k', value: 'aa x' }]);
  const a = expanded('ARG $A=${A:-z}-$NOPE');
  assert.deepEqual(a.kind === 'arg' && a.args, [{ key: '$A', value: 'aa-' }]);
});

test('COPY/ADD: sources, dest, chown, chmod, checksum and unquoted heredoc bodies; never --from', () => {
  const c = expanded('COPY --from=$A --chown=$U:$U --chmod=$U $D/* ${D}/x/ \\$A');
  assert.deepEqual(c.kind === 'copy' && [c.from, c.chown, c.chmod, c.sources, c.dest], ['$A', '1000:1000', '1000', ['/data/*', '/data/x/'], '$A']);
  const h = expanded('COPY <<one <<"two" /d\n"$A" \\$A\none\n$A\ntwo');
  assert.deepEqual(h.kind === 'copy' && h.heredocs.map((x) => x.data), ['"aa" $A\n', '$A\n']);
  const add = expanded('ADD --checksum=$A http://h/$A.tgz /');
  assert.deepEqual(add.kind === 'add' && [add.checksum, add.sources], ['aa', ['http://h/aa.tgz']]);
});

test('EXPOSE splits expanded words; USER, WORKDIR, VOLUME, STOPSIGNAL expand', () => {
  const e = expanded('EXPOSE $P 22');
  assert.deepEqual(e.kind === 'expose' && e.ports, ['80', '443/udp', '22']);
  const u = expanded('USER $U:${G:-0}');
  assert.equal(u.kind === 'user' && u.user, '1000:0');
  const w = expanded('WORKDIR $D/app');
  assert.equal(w.kind === 'workdir' && w.path, '/data/app');
  const v = expanded('VOLUME ["$D", "/x"]');
  assert.deepEqual(v.kind === 'volume' && v.volumes, ['/data', '/x']);
  const s = expanded('STOPSIGNAL SIG$A');
  assert.equal(s.kind === 'stopsignal' && s.signal, 'SIGaa');
});

test('RUN: only the mounts expand; CMD, ENTRYPOINT, HEALTHCHECK, ONBUILD stay as written', () => {
  const r = expanded('RUN --mount=type=cache,id=$ID,target=$D,uid=$U echo $A');
  assert.equal(r.kind, 'run');
  if (r.kind !== 'run') return;
  assert.deepEqual(r.cmd, ['echo $A']);
  assert.deepEqual(r.mounts, [{ type: 'cache', id: 'gocache', target: '/data', uid: 1000, readOnly: false, required: false }]);
  for (const line of ['CMD echo $A', 'ENTRYPOINT ["$A"]', 'HEALTHCHECK CMD $A', 'ONBUILD RUN $A', 'SHELL ["$A"]']) {
    const parsed = parseDockerfile(`FROM x\n${line}\n`).stages[0].commands[0];
    assert.deepEqual(expandInstruction(parsed, lookup), parsed, line);
  }
});

test('FROM expands with the lookup it is given (the meta ARGs)', () => {
  const df = parseDockerfile('ARG V=1\nFROM --platform=$P busy:${V}\n');
  const from = expandInstruction(df.stages[0].from, (k) => ({ V: '1.36', P: 'linux/amd64' })[k]);
  assert.deepEqual(from.kind === 'from' && [from.image, from.platform], ['busy:1.36', 'linux/amd64']);
});

test('expansion errors carry the instruction line and Docker\'s words; the backtick escape works', () => {
  const df = parseDockerfile('FROM x\n\nWORKDIR ${NOPE:?must be set}\n');
  assert.throws(() => expandInstruction(df.stages[0].commands[0], lookup), {
    message: 'dockerfile parse error line 3: failed to process "${NOPE:?must be set}": NOPE: must be set',
  });
  const bt = parseDockerfile('# escape=`\nFROM x\nWORKDIR `$A\\$A\n');
  const w = expandInstruction(bt.stages[0].commands[0], lookup, { escapeToken: bt.escapeToken });
  assert.equal(w.kind === 'workdir' && w.path, '$A\\aa');
});
