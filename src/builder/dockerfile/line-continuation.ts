/**
 * Line continuation: the escape token as the last non-blank character of a line joins the
 * next line to it (unless it is itself escaped, which buildkit only checks one level deep).
 */

/** A line ends in the escape token: the token removed and `continues` true. */
export interface Trimmed {
  line: string;
  continues: boolean;
}

export function continuationTrimmer(escapeToken: string): (line: string) => Trimmed {
  const e = escapeToken === '\\' ? '\\\\' : '`';
  const re = new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`);
  return (line) => (re.test(line) ? { line: line.replace(re, '$1'), continues: true } : { line, continues: false });
}

/** Drops a line's trailing "\n" / "\r\n" (any run of them, as Go's TrimRight). */
export const trimNewline = (s: string) => s.replace(/[\r\n]+$/, '');

export const trimLeadingWhitespace = (s: string) => s.replace(/^\p{White_Space}+/u, '');

export const isComment = (s: string) => trimLeadingWhitespace(s).startsWith('#');

/** A line inside a continuation with nothing on it (buildkit warns about these). */
export const isEmptyContinuationLine = (s: string) => trimLeadingWhitespace(trimNewline(s)) === '';
