/** What the Dockerfile fuzzer (bench/fuzz/dockerfile.ts) found, and its properties in small for every test run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findBerthError, isInvalidArgument } from '../../errdefs';
import { DockerfileParseError } from './errors';
import { parseDockerfile } from './parse-dockerfile';
import { parse } from './parser';
import { expandInstruction } from './expand-instruction';

test('keywords named like Object.prototype members are unknown instructions, not a TypeError or an instruction', () => {
  const unknown = (text: string, keyword: string, line: number) => assert.throws(() => parseDockerfile(text), (err) =>
    err instanceof DockerfileParseError && err.line === line && err.message === `dockerfile parse error line ${line}: unknown instruction: ${keyword}`
    && !(err.cause instanceof TypeError));
  unknown('__proto__', '__PROTO__', 1);
  unknown('FROM busybox\n__proto__ x\n', '__PROTO__', 2);
  unknown('FROM busybox\nCONSTRUCTOR x\n', 'CONSTRUCTOR', 2);
  assert.equal(parse('FROM a\nconstructor x\n').ast.children[1].next?.value, '');
});

const LINES = ['FROM busybox AS b', 'ARG A=1', 'ENV B="x y" C=${A:-d}', 'RUN echo $A \\', '  more', 'RUN <<EOF', 'echo hi', 'EOF',
  'COPY --from=b /a /b', 'RUN --mount=type=cache,target=/c true', 'HEALTHCHECK --interval=1s CMD true', 'ONBUILD RUN x', '# c', '',
  'EXPOSE ${P:-80}', 'WORKDIR ${A/1/2}', 'CMD ["a", "b"]', '# escape=`'];
const TOKENS = ['\n', '\\', '`', '"', "'", '$', '${', '}', '<<', '--', '=', ',', '[', ' ', '#'];

const dockerfile = fc.tuple(
  fc.array(fc.constantFrom(...LINES), { maxLength: 8 }),
  fc.array(fc.tuple(fc.nat(), fc.constantFrom(...TOKENS)), { maxLength: 4 }),
).map(([lines, edits]) => edits.reduce((s, [at, t]) => s.slice(0, at % (s.length + 1)) + t + s.slice(at % (s.length + 1)), lines.join('\n')));

const env = new Map([['A', 'a.b'], ['P', '8080']]);

test('property: a Dockerfile parses and expands, or fails with InvalidArgument at a line of the file', () => {
  fc.assert(fc.property(dockerfile, (text) => {
    const lines = (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).length;
    const located = (err: unknown) => {
      assert.ok(isInvalidArgument(err), String((err as Error).stack));
      for (let e = err as Error | undefined; e; e = e.cause as Error | undefined) assert.ok(!(e instanceof TypeError || e instanceof RangeError), String(e.stack));
      const found = findBerthError(err);
      if (found instanceof DockerfileParseError) assert.ok(found.line >= 1 && found.line <= lines, `line ${found.line} of ${lines}`);
    };
    let df;
    try {
      df = parseDockerfile(text);
    } catch (err) {
      return located(err);
    }
    assert.deepEqual(parseDockerfile(text), df);
    for (const instr of df.stages.flatMap((s) => [s.from, ...s.commands])) {
      assert.ok(instr.line >= 1 && instr.endLine <= lines && instr.line <= instr.endLine);
      try {
        expandInstruction(instr, (k) => env.get(k), { escapeToken: df.escapeToken });
      } catch (err) {
        located(err);
      }
    }
  }), { numRuns: 300 });
});
