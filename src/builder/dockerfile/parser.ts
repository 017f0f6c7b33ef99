/**
 * The Dockerfile parser (buildkit's parser.Parse): text to a tree of instruction nodes,
 * with directives, line continuations, comments and heredocs. Pure; see types.ts.
 */
import { InvalidArgument } from '../../errdefs';
import type { Heredoc, Node, ParseResult, Warning } from './types';
import { newNode } from './node';
import { nodeFromLine } from './parse-line';
import { DirectiveParser, checkEscapeToken } from './directives';
import { continuationTrimmer, isComment, isEmptyContinuationLine, trimLeadingWhitespace, trimNewline } from './line-continuation';
import { heredocsFromLine, isHeredocTerminator } from './heredoc';
import { withLine } from './errors';

const HEREDOC_INSTRUCTIONS = new Set(['add', 'copy', 'run']);

/** Lines with their endings kept (Go's bufio scanner with buildkit's scanLines). */
function splitLines(text: string): string[] {
  return Array.from(text.replace(/^\uFEFF/, '').match(/[^\n]*\n|[^\n]+$/g) ?? []);
}

/** Heredocs are read for RUN/COPY/ADD (also as an ONBUILD trigger) in shell form. */
function canContainHeredoc(node: Node): boolean {
  if (node.value.toLowerCase() === 'onbuild' && node.next && node.next.children.length > 0) {
    node = node.next.children[0];
  }
  return HEREDOC_INSTRUCTIONS.has(node.value.toLowerCase()) && !node.json;
}

/** Parses Dockerfile text into buildkit's Node tree. Throws InvalidArgument. */
export function parse(text: string): ParseResult {
  const lines = splitLines(text);
  const directives = new DirectiveParser();
  const warnings: Warning[] = [];
  const root = newNode({ startLine: -1 });
  let escapeToken = '\\';
  let trimContinuation = continuationTrimmer(escapeToken);
  let comments: string[] = [];
  let current = 0;
  let next = 0;

  /** A line without its newline (and leading blanks at the start of an instruction);
   * comments become ''. Directive lines set the escape token. */
  const processLine = (raw: string, stripLeft: boolean): { text: string; directive: boolean } => {
    let token = trimNewline(raw);
    if (stripLeft) token = trimLeadingWhitespace(token);
    const directive = withLine(current + 1, () => directives.parseLine(token));
    if (directive?.name === 'escape') {
      escapeToken = withLine(current + 1, () => checkEscapeToken(directive.value));
      trimContinuation = continuationTrimmer(escapeToken);
    }
    return { text: isComment(token) ? '' : token, directive: !!directive };
  };

  const readHeredoc = (heredoc: Heredoc, startLine: number): Heredoc => {
    let content = '';
    while (next < lines.length) {
      const raw = lines[next++];
      current++;
      if (isHeredocTerminator(raw, heredoc)) return { ...heredoc, content };
      content += raw;
    }
    throw withLine(startLine, () => { throw new InvalidArgument('unterminated heredoc'); });
  };

  while (next < lines.length) {
    const raw = lines[next++];
    if (isComment(raw)) {
      const comment = raw.slice(1).trim();
      comments = comment === '' ? [] : [...comments, comment];
    }
    const first = processLine(raw, true);
    if (first.directive) comments = comments.slice(0, -1);
    current++;
    const startLine = current;
    let { line, continues } = trimContinuation(first.text);
    if (!continues && line.length === 0) continue;
    let joined = line;
    let emptyContinuation = false;
    while (continues && next < lines.length) {
      const rawNext = lines[next++];
      const processed = processLine(rawNext, false).text;
      current++;
      if (isComment(rawNext)) continue;
      if (isEmptyContinuationLine(processed)) {
        emptyContinuation = true;
        continue;
      }
      ({ line, continues } = trimContinuation(processed));
      joined += line;
    }
    if (emptyContinuation) warnings.push({ message: `Empty continuation line found in: ${joined}`, line: current });

    const child = withLine(startLine, () => nodeFromLine(joined, escapeToken, comments));
    if (canContainHeredoc(child) && joined.includes('<<')) {
      const declared = withLine(startLine, () => heredocsFromLine(joined));
      for (const heredoc of declared) child.heredocs.push(readHeredoc(heredoc, startLine));
    }
    child.startLine = startLine;
    child.endLine = current;
    if (root.startLine < 0) root.startLine = startLine;
    root.endLine = current;
    root.children.push(child);
    comments = [];
  }
  if (root.startLine < 0) throw new InvalidArgument('failed to parse Dockerfile: file with no instructions');
  return { ast: root, directives: directives.found, escapeToken, warnings };
}
