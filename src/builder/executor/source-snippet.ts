/**
 * The Dockerfile lines of a failed instruction, framed as BuildKit prints them:
 *
 *     Dockerfile:2
 *     --------------------
 *        1 |     FROM busybox
 *        2 | >>> COPY nope /
 *     --------------------
 */
export function sourceSnippet(name: string, text: string, at: { line: number; endLine: number }): string {
  const lines = text.split(/\r?\n/);
  const first = Math.max(1, at.line - 4);
  const last = Math.min(lines.length, Math.max(at.endLine, at.line));
  const width = String(last).length + 3;
  const rule = '--------------------';
  const body: string[] = [];
  for (let n = first; n <= last; n++) {
    const mark = n >= at.line && n <= at.endLine ? '>>>' : '   ';
    body.push(`${String(n).padStart(width)} | ${mark} ${lines[n - 1] ?? ''}`);
  }
  return `${name}:${at.line === at.endLine ? at.line : `${at.line}-${at.endLine}`}\n${rule}\n${body.join('\n')}\n${rule}\n`;
}
