/** What the executor needs from its caller: the engine client, a build context maker, and where progress goes. */
import type { Readable } from 'node:stream';
import type { EngineClient } from '../../client';

export interface BuildContext { tar: Readable; dockerfile?: string }

export interface ComposeRuntime {
  client: EngineClient;
  /** Tars `dir` as `docker build` sends it (.dockerignore applied); `dockerfile` is an absolute path or undefined. */
  buildContext(dir: string, dockerfile: string | undefined): Promise<BuildContext>;
  /** Progress lines (` ✔ Container p-web-1  Started`), written to stderr by the CLI. */
  progress(line: string): void;
  /** Build output and other streamed text. */
  output(text: string): void;
  signal?: AbortSignal;
}
