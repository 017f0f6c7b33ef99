/**
 * Docker's jsonmessage display of a pull or push stream: on a terminal one line per layer
 * id, redrawn in place (cursor up, clear, write, cursor down); otherwise plain lines with
 * the progress bars left out.
 */
import type { JsonMessage } from '../../../client';
import { progressBar } from '../../../lib/progress-bar';

export type ProgressLine = JsonMessage & { progressDetail?: { current?: number; total?: number } };

export function progressDisplay(write: (s: string) => void, isTerminal: boolean): (m: ProgressLine) => void {
  let ids = new Map<string, number>();
  return (m) => {
    const detail = m.progressDetail;
    const bar = detail && ((detail.current ?? 0) > 0 || (detail.total ?? 0) > 0) ? progressBar(detail.current ?? 0, detail.total) : '';
    let diff = 0;
    if (m.id && detail) {
      let line = ids.get(m.id);
      if (line === undefined) {
        line = ids.size;
        ids.set(m.id, line);
        if (isTerminal) write('\n');
      }
      diff = ids.size - line;
      if (isTerminal) write(`\x1b[${diff}A`);
    } else {
      ids = new Map();
    }
    if (!isTerminal && bar) return;
    if (!m.status && !m.stream) return;
    let out = '';
    let endl = '';
    if (isTerminal && detail) { out += '\x1b[2K\r'; endl = '\r'; }
    if (m.id) out += `${m.id}: `;
    if (m.stream) out += m.stream;
    else if (detail && isTerminal) out += `${m.status} ${bar}${endl}`;
    else out += `${m.status}${endl}\n`;
    write(out);
    if (m.id && isTerminal && detail) write(`\x1b[${diff}B`);
  };
}
