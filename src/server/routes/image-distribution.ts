/**
 * `POST /images/create?fromImage=` (pull) and `POST /images/{name}/push`: Docker's JSON
 * progress stream, whose 200 goes out with the first message, so what fails before it (a
 * manifest the registry does not know, denied access, a bad reference) gets its status.
 */
import type { ServerResponse } from 'node:http';
import type { RouteContext } from '../router';
import { startJsonStream, type JsonStream } from '../respond';
import { parseReference } from '../../core/images';
import { InvalidArgument } from '../../errdefs';
import { errorMessage } from '../errors';
import type { ImageDistribution, ProgressMessage } from '../../services/images';
import { registryAuthFromHeader } from '../dto/registry-auth';

/** Runs op with a stream that starts at its first message; errors after that end the stream. */
async function progressStream(ctx: RouteContext, op: (emit: (m: ProgressMessage) => void, signal: AbortSignal) => Promise<void>): Promise<void> {
  const res = ctx.res as ServerResponse;
  const abort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) abort.abort(); });
  let stream: JsonStream | undefined;
  const emit = (m: ProgressMessage) => { (stream ??= startJsonStream(res)).write(m); };
  try {
    await op(emit, abort.signal);
  } catch (err) {
    if (!stream) throw err;
    stream.fail(errorMessage(err));
  }
  (stream ?? startJsonStream(res)).end();
}

export async function pullRoute(ctx: RouteContext, distribution: ImageDistribution): Promise<void> {
  const q = ctx.query;
  const ref = parseReference(q.get('fromImage')!);
  const tag = q.get('tag');
  if (tag) {
    if (ref.tag || ref.digest) throw new InvalidArgument(`invalid reference format: tag given twice (${q.get('fromImage')} and ${tag})`);
    if (tag.startsWith('sha256:')) ref.digest = tag;
    else ref.tag = tag;
  }
  const allTags = !ref.tag && !ref.digest;
  const auth = registryAuthFromHeader(ctx.req.headers['x-registry-auth']);
  await progressStream(ctx, (emit, signal) => distribution.pull({ ref, allTags, platform: q.get('platform') || undefined, auth, signal }, emit));
}

export async function pushRoute(ctx: RouteContext, distribution: ImageDistribution): Promise<void> {
  const ref = parseReference(ctx.params.name);
  const tag = ctx.query.get('tag');
  if (tag) {
    if (ref.tag) throw new InvalidArgument(`invalid reference format: tag given twice (${ctx.params.name} and ${tag})`);
    ref.tag = tag;
  }
  const auth = registryAuthFromHeader(ctx.req.headers['x-registry-auth']);
  await progressStream(ctx, (emit, signal) => distribution.push({ ref, auth, signal }, emit));
}
