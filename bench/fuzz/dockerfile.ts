/**
 * The Dockerfile parser (src/builder/dockerfile/): parse, parseDockerfile, expandInstruction
 * and the shell-word lexer under them. Declared errors: InvalidArgument (DockerfileParseError
 * with a line) from the parser, whose causes must not be JavaScript crashes; the lexer's plain
 * `failed to process "<word>": <reason>` with one of its reasons. Properties: total, parse
 * deterministic, every line number (nodes, warnings, errors) within the file.
 */
import * as fc from 'fast-check';
import {
  DockerfileParseError, expandInstruction, expand, parse, parseDockerfile, processWords,
} from '../../src/builder/dockerfile';
import { berthError, returnsOrDeclares, sameJson, withoutCrashCause, type Declared, type FuzzTarget } from './property';
import { joined, mutated, rawText } from './mutate';

/** The lexer's reasons (shell-lexer.ts, shell-pattern.ts); `${v?msg}` gives `v: msg`. */
const LEX_REASON = /^(unexpected end of statement while looking for matching |syntax error: |unsupported modifier \(|invalid pattern \(|substitutions nested too deeply$|([\p{L}\p{Nd}_]*|[@*#?\-$!0]): )/u;
const CRASH_REASON = /^(Maximum call stack|Invalid (string|array) length|Cannot read prop|.* is not a function)/;
const isReason = (reason: string) => LEX_REASON.test(reason) && !CRASH_REASON.test(reason.replace(/^[^:\s]*: /, ''));
/** A plain Error `failed to process "<word>": <reason>` (the word may be given, or hold `": ` itself). */
const isLexError = (err: unknown, word?: string) => {
  if (!(err instanceof Error) || err.constructor !== Error) return false;
  const prefix = 'failed to process "';
  if (!err.message.startsWith(prefix)) return false;
  if (word !== undefined) return err.message.startsWith(`${prefix}${word}": `) && isReason(err.message.slice(prefix.length + word.length + 3));
  for (let i = err.message.indexOf('": ', prefix.length); i >= 0; i = err.message.indexOf('": ', i + 1)) {
    if (isReason(err.message.slice(i + 3))) return true;
  }
  return false;
};
/** InvalidArgument; any plain Error on its cause chain must be a declared lexer error. */
const parserDeclared: Declared = (err) => {
  if (!withoutCrashCause(berthError('INVALID_ARGUMENT'))(err)) return false;
  for (let e = (err as Error).cause; e; e = (e as Error).cause) if (e instanceof Error && e.constructor === Error && !isLexError(e)) return false;
  return true;
};

const LINES = [
  'FROM busybox', 'FROM busybox AS build', 'FROM --platform=$BUILDPLATFORM golang:1.21 AS b2', 'FROM scratch',
  'ARG VERSION=1.0', 'ARG A B=2', 'ENV A=1 B="two words" C=${A:-x}', 'ENV OLD value with spaces', "LABEL \"com.example\"='v' a=b",
  'RUN echo hello && \\\n    echo world', 'RUN ["sh", "-c", "echo $A"]', 'RUN --mount=type=cache,target=/root/.cache,sharing=locked go build',
  'RUN --mount=type=secret,id=tok,required cat /run/secrets/tok', 'RUN --mount=type=tmpfs,target=/t,size=64m true',
  'RUN --mount=type=bind,from=build,source=/out,target=/in,rw cp /in /x', 'RUN <<EOF\necho hi\nEOF', 'RUN 3<<EOF cat /proc/self/fd/3\nx\nEOF',
  'COPY --from=build --chown=1:1 --chmod=755 /src /dst', 'COPY <<-"EOT" /file\n\ttext $A\n\tEOT', 'COPY ["a b", "/c d/"]', 'COPY --link . /app',
  'ADD --checksum=sha256:' + 'a'.repeat(64) + ' http://example.com/y /z', 'ADD ["a b", "/c"]', 'ADD --keep-git-dir=true git@x:y /src',
  'WORKDIR ${HOME:-/root}/app', 'USER 1000:1000', 'EXPOSE 80/tcp 443 ${PORT}', 'VOLUME ["/data"]', 'VOLUME /a /b',
  'CMD ["run"]', 'CMD echo ${X}', 'ENTRYPOINT ["/bin/sh", "-c"]', 'SHELL ["/bin/bash", "-c"]',
  'HEALTHCHECK --interval=30s --timeout=3s --start-period=1m --retries=3 CMD wget -q localhost || exit 1', 'HEALTHCHECK NONE',
  'STOPSIGNAL SIGTERM', 'ONBUILD RUN echo onbuild', 'ONBUILD ADD . /app', 'MAINTAINER someone', '# a comment', '', '   ',
  'RUN echo ${A/b/c} ${A//x/y} ${A#*.} ${A##*/} ${A%.*} ${A%%.*} ${A:?required} ${A:+set} ${A-d} ${A+s}',
  'RUN echo \\\n# comment inside\n  more', 'RUN echo \\\n\n  after empty continuation', 'env lower=case', 'FOO bar',
];
const HEADERS = ['', '# syntax=docker/dockerfile:1\n', '# escape=`\n', '# escape=\\\n', '# check=skip=all\n', '\uFEFF', '# syntax=x\n# syntax=y\n'];
const TOKENS = ['\n', '\r\n', '\\\n', '`\n', ' ', '\t', '"', "'", '$', '${', '}', ':-', '<<', '<<-', 'EOF', '[', ']', ',', '=', '--', '--mount=',
  '#', '\\', '`', 'FROM', 'RUN', 'ONBUILD', 'HEALTHCHECK', 'AS', '\u00a0', '\u2028', '__proto__', 'constructor', '--constructor=x', 'toString'];

const dockerfileText = fc.tuple(fc.constantFrom(...HEADERS), joined(fc.constantFrom(...LINES), '\n', 10), fc.constantFrom('\n', '\r\n'))
  .map(([head, body, eol]) => head + 'FROM busybox\n' + body.split('\n').join(eol) + eol);

export const dockerfileInput = fc.oneof(
  { weight: 2, arbitrary: dockerfileText },
  { weight: 5, arbitrary: mutated(dockerfileText, TOKENS, 6) },
  { weight: 1, arbitrary: rawText('FROMRUN \n\\`$"\'{}[]<#=-:', 300) },
);

const WORDS = ['$A', '${A}', '${A:-def}', '${A-def}', '${A:+alt}', '${A+alt}', '${A:?msg}', '${A?}', '${A#*.}', '${A##*/}', '${A%.*}',
  '${A%%.*}', '${A/b/c}', '${A//b/c}', '${A/*/x}', '"quoted $A"', "'single $A'", 'a\\ b', '\\$A', '$$', '$1', '${UNSET:-${A:-x}}',
  '${}', '${:}', '${A:x}', '${A', '"open', "'open", 'plain word', '<<EOF', '${A/\\*/x}', '${A#\\'];
const WORD_TOKENS = ['$', '{', '}', ':', '-', '+', '?', '#', '%', '/', '*', '\\', '`', '"', "'", ' ', 'A', 'é', '\n'];
/** Substitutions nested deep (Go's lexer has no depth limit). */
const deepWord = fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.constantFrom('${A:-', '${U:-', '${A:+', '${U-', '"${U:-'))
  .map(([n, open]) => open.repeat(n) + 'x' + (open.startsWith('"') ? '}"' : '}').repeat(n));
const wordInput = fc.oneof(
  { weight: 40, arbitrary: mutated(joined(fc.constantFrom(...WORDS), ' ', 4), WORD_TOKENS, 5) },
  { weight: 20, arbitrary: rawText('${}:-+?#%/*\\`"\' A', 60) },
  { weight: 1, arbitrary: deepWord }, // rare: tens of ms each
);
/** A Map, as the executor's lookups are (an object would answer `toString`). */
const ENV = new Map(Object.entries({ A: 'a.b.c/d*e', EMPTY: '', HOME: '/root', PORT: '8080', X: 'x y' }));
const lookup = (k: string) => ENV.get(k);

/** Lines of `text` as the parser counts them (a last line without "\n" counts). */
const lineCount = (text: string) => (text.replace(/^\uFEFF/, '').match(/[^\n]*\n|[^\n]+$/g) ?? []).length;

function checkLine(what: string, line: number, lines: number): void {
  if (!Number.isInteger(line) || line < 1 || line > lines) throw new Error(`${what} line ${line} outside 1..${lines}`);
}

/** fn(text) returns, or fails at a line of the file; twice, the same. */
function parsedOnce<T>(text: string, fn: (text: string) => T): T | undefined {
  const { value, error } = returnsOrDeclares(() => fn(text), parserDeclared);
  if (error instanceof DockerfileParseError) checkLine('error', error.line, lineCount(text));
  if (value !== undefined) sameJson('two parses', value, fn(text));
  return value;
}

export const dockerfileTarget: FuzzTarget = {
  name: 'dockerfile',
  module: 'src/builder/dockerfile/',
  properties: [
    {
      name: 'parse',
      arbitrary: dockerfileInput,
      check(text: string) {
        const value = parsedOnce(text, parse);
        if (!value) return;
        const lines = lineCount(text);
        let last = 0;
        for (const node of value.ast.children) {
          checkLine('node start', node.startLine, lines);
          checkLine('node end', node.endLine, lines);
          if (node.startLine > node.endLine || node.startLine <= last) throw new Error(`node lines ${node.startLine}-${node.endLine} after ${last}`);
          last = node.endLine;
        }
        for (const w of value.warnings) checkLine('warning', w.line, lines);
      },
    },
    {
      name: 'instructions',
      arbitrary: dockerfileInput,
      check(text: string) {
        const value = parsedOnce(text, parseDockerfile);
        if (!value) return;
        const lines = lineCount(text);
        for (const instr of [...value.metaArgs, ...value.stages.flatMap((s) => [s.from, ...s.commands])]) {
          checkLine('instruction', instr.line, lines);
          if (typeof instr.kind !== 'string') throw new Error(`an instruction without a kind: ${JSON.stringify(instr)}`);
          const expanded = returnsOrDeclares(() => expandInstruction(instr, lookup, { escapeToken: value.escapeToken }), parserDeclared);
          if (expanded.error instanceof DockerfileParseError) checkLine('expand error', expanded.error.line, lines);
        }
      },
    },
    {
      name: 'shell-lexer',
      arbitrary: fc.tuple(wordInput, fc.constantFrom('\\', '`'), fc.boolean()),
      check([word, escapeToken, skipUnsetEnv]: [string, string, boolean]) {
        const opts = { escapeToken, skipUnsetEnv };
        const declared: Declared = (err) => isLexError(err, word);
        const a = returnsOrDeclares(() => expand(word, lookup, opts), declared);
        const b = returnsOrDeclares(() => processWords(word, lookup, opts), declared);
        if ((a.error === undefined) !== (b.error === undefined)) throw new Error('expand and processWords disagree on failing');
      },
    },
  ],
};
