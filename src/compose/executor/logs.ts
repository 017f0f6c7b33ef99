/** Containers' logs merged into one stream, each line prefixed `name  | ` (names padded alike). */
import { Demuxer } from '../../client';
import type { ProjectContainer } from './project-containers';
import type { ComposeRuntime } from './runtime';

export interface LogsOptions { follow?: boolean; timestamps?: boolean; tail?: string; color?: boolean }

const COLORS = [36, 33, 32, 35, 34, 31];

/** A line splitter per container: whole lines go out prefixed, a last partial line at the end. */
function prefixer(prefix: string, write: (s: string) => void) {
  let rest = '';
  return {
    push(b: Buffer) {
      const lines = (rest + b.toString()).split('\n');
      rest = lines.pop()!;
      for (const l of lines) write(`${prefix}${l}\n`);
    },
    end() { if (rest) write(`${prefix}${rest}\n`); rest = ''; },
  };
}

/** Streams the logs; with `follow`, resolves when every container's stream ends (or the signal aborts). */
export async function streamLogs(rt: ComposeRuntime, containers: ProjectContainer[] | { id: string; name: string }[], o: LogsOptions): Promise<void> {
  const width = Math.max(0, ...containers.map((c) => c.name.length));
  await Promise.all(containers.map(async (c, i) => {
    const pad = c.name.padEnd(width);
    const prefix = o.color ? `\x1b[${COLORS[i % COLORS.length]}m${pad}  |\x1b[0m ` : `${pad}  | `;
    const inspect = await rt.client.containers.inspect(c.id);
    const res = await rt.client.containers.logs(c.id, { follow: o.follow, timestamps: o.timestamps, tail: o.tail });
    const p = prefixer(prefix, (s) => rt.output(s));
    const demux = new Demuxer((_s, payload) => p.push(payload));
    const onAbort = () => res.destroy();
    rt.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const chunk of res) (inspect.Config.Tty ? p.push(chunk as Buffer) : demux.push(chunk as Buffer));
    } catch (err) {
      if (!rt.signal?.aborted) throw err;
    } finally {
      rt.signal?.removeEventListener('abort', onAbort);
      p.end();
    }
  }));
}
