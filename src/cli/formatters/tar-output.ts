import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CliContext } from '../context';
import { ExitStatus } from '../errors';

/**
 * Writes a tar stream to `output` (whole or not at all: a temp file renamed into place) or to
 * stdout, which docker refuses when it is a terminal; `refusal` is the command's own wording.
 */
export async function writeTar(ctx: CliContext, open: () => Promise<Readable>, output: string | undefined, refusal: string): Promise<void> {
  if (!output && ctx.io.stdout.isTTY) throw new ExitStatus(1, refusal);
  const body = await open();
  if (output) {
    const tmp = `${output}.berth-tmp-${process.pid}`;
    await pipeline(body, fs.createWriteStream(tmp, { highWaterMark: 1 << 20 }));
    fs.renameSync(tmp, output);
  } else {
    await pipeline(body, ctx.io.stdout, { end: false });
  }
}
