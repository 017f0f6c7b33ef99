/** How the docker CLI shows a legacy build's JSON messages (jsonmessage.Display without a terminal). */
import type { BuildMessage } from '../../client';

/** The text one message adds to the output: its stream as is, a status line, nothing for aux. */
export function buildMessageText(m: BuildMessage): string {
  if (m.stream !== undefined) return m.stream;
  if (m.status) return `${m.id ? `${m.id}: ` : ''}${m.status}${m.progress ? ` ${m.progress}` : ''}\n`;
  return '';
}
