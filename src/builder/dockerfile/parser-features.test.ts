import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from './parser';
import { dumpNode } from './node-dump';

test('heredocs: several per line, <<- tab stripping on the terminator, quoted names turn expansion off', () => {
  const { ast } = parse('FROM busybox\nRUN <<A cat - 3<<-"B"\nline $x\nA\n\tb1\n\tB\nENV x=1\n');
  const run = ast.children[1];
  assert.deepEqual(run.heredocs, [
    { name: 'A', fileDescriptor: 0, expand: true, chomp: false, content: 'line $x\n' },
    { name: 'B', fileDescriptor: 3, expand: false, chomp: true, content: '\tb1\n' },
  ]);
  assert.deepEqual([run.startLine, run.endLine], [2, 6]);
  assert.equal(ast.children[2].startLine, 7);
  assert.equal(dumpNode(run), 'run "<<A cat - 3<<-\\"B\\""');
});

test('heredocs: partial quoting counts as quoted; JSON form and other instructions read none', () => {
  const { ast } = parse("FROM a\nCOPY <<E'O'F /x\nbody\nEOF\nRUN [\"a\", \"<<X\"]\nCMD cat <<Y\n");
  assert.equal(ast.children[1].heredocs[0].expand, false);
  assert.equal(ast.children[1].heredocs[0].name, 'EOF');
  assert.equal(ast.children.length, 4);
  assert.deepEqual(ast.children[2].heredocs, []);
  assert.deepEqual(ast.children[3].heredocs, []);
});

test('heredocs: an ONBUILD trigger reads them; an unterminated one fails at its instruction line', () => {
  const { ast } = parse('FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\n');
  assert.equal(ast.children[1].heredocs[0].content, 'echo hi\n');
  assert.throws(() => parse('FROM a\n\nRUN <<EOF\necho\n'), { message: 'dockerfile parse error line 3: unterminated heredoc' });
});

test('directives only at the top: escape token, syntax, check; a repeated one or a bad token fails', () => {
  const r = parse('# syntax=docker/dockerfile:1\n# check=skip=all\n# escape=`\nFROM a\nRUN a `\n  b\n');
  assert.deepEqual(r.directives, { syntax: 'docker/dockerfile:1', check: 'skip=all', escape: '`' });
  assert.equal(r.escapeToken, '`');
  assert.equal(r.ast.children[1].original, 'RUN a   b');
  const late = parse('# comment\n# escape=`\nFROM a\nRUN a \\\n b\n');
  assert.equal(late.escapeToken, '\\');
  assert.deepEqual(late.directives, {});
  assert.throws(() => parse('# escape=x\nFROM a\n'), { message: "dockerfile parse error line 1: invalid escape token 'x' does not match ` or \\" });
  assert.throws(() => parse('# escape=`\n# escape=\\\nFROM a\n'), { message: 'dockerfile parse error line 2: only one escape parser directive can be used' });
});

test('continuations: comments and empty lines inside are skipped (with a warning), lines are counted', () => {
  const r = parse('FROM a\nRUN echo \\\n# inside\n  one \\\n\n  two\nUSER x\n');
  const run = r.ast.children[1];
  assert.equal(run.original, 'RUN echo   one   two');
  assert.deepEqual([run.startLine, run.endLine], [2, 6]);
  assert.deepEqual(r.warnings, [{ message: 'Empty continuation line found in: RUN echo   one   two', line: 6 }]);
  assert.equal(r.ast.children[2].startLine, 7);
});

test('comments above an instruction are kept; flags and JSON form are recognised', () => {
  const { ast } = parse('FROM a\n# first\n# second\nCOPY --from=b --chown="u g" x y\nCMD ["a", "b"]\nCMD [ "a", 1 ]x\n');
  assert.deepEqual(ast.children[1].prevComment, ['first', 'second']);
  assert.deepEqual(ast.children[1].flags, ['--from=b', '--chown=u g']);
  assert.equal(ast.children[2].json, true);
  assert.equal(ast.children[3].json, false);
  assert.throws(() => parse('FROM a\nCMD ["a", 1]\n'), {
    message: 'dockerfile parse error line 2: when using JSON array syntax, arrays must be comprised of strings only',
  });
});

test('ENV syntax errors at the parse stage carry their line', () => {
  assert.throws(() => parse('FROM a\nENV x\n'), { message: 'dockerfile parse error line 2: ENV must have two arguments' });
  assert.throws(() => parse('FROM a\nLABEL a=b c\n'), {
    message: 'dockerfile parse error line 2: Syntax error - can\'t find = in "c". Must be of the form: name=value',
  });
  assert.throws(() => parse('\n# only a comment\n'), { message: 'failed to parse Dockerfile: file with no instructions' });
});

test('a byte order mark and CRLF line endings are accepted', () => {
  const { ast } = parse('\uFEFFFROM a\r\nRUN x \\\r\n y\r\n');
  assert.equal(dumpNode(ast), '(from "a")\n(run "x  y")');
});
