/** Creates a container, pulling its image first when the daemon has not got it (docker's flow). */
import { isNotFound } from '../../../errdefs';
import type { ContainerCreateResponse, JsonMessage } from '../../../client';
import type { CliContext } from '../../context';
import type { CreateRequest } from './create-flags';
import { registryAuthHeader } from '../../credentials';

/** `busybox` -> `busybox:latest`; a digest or tag is kept. */
export function withDefaultTag(ref: string): string {
  if (ref.includes('@')) return ref;
  const lastSlash = ref.lastIndexOf('/');
  return ref.slice(lastSlash + 1).includes(':') ? ref : `${ref}:latest`;
}

export async function createContainer(ctx: CliContext, req: CreateRequest): Promise<ContainerCreateResponse> {
  const c = ctx.client.containers;
  let res: ContainerCreateResponse;
  try {
    res = await c.create(req.body, { name: req.name, platform: req.platform });
  } catch (err) {
    if (!isNotFound(err) || !/No such image/.test((err as Error).message)) throw err;
    const ref = withDefaultTag(req.body.Image!);
    ctx.err(`Unable to find image '${ref}' locally\n`);
    await pullImage(ctx, ref, req.platform);
    res = await c.create(req.body, { name: req.name, platform: req.platform });
  }
  for (const w of res.Warnings ?? []) ctx.err(`WARNING: ${w}\n`);
  return res;
}

/** Pulls `ref`, printing progress lines to stderr as docker does when not on a terminal. */
export async function pullImage(ctx: CliContext, ref: string, platform?: string): Promise<void> {
  const at = ref.indexOf('@');
  const i = ref.lastIndexOf(':');
  const [fromImage, tag] = at >= 0 ? [ref.slice(0, at), ref.slice(at + 1)]
    : i > ref.lastIndexOf('/') ? [ref.slice(0, i), ref.slice(i + 1)] : [ref, 'latest'];
  const registryAuth = await registryAuthHeader(fromImage);
  await ctx.client.images.pull({ fromImage, tag, platform, registryAuth }, (m: JsonMessage & { progressDetail?: { current?: number } }) => {
    if (m.progressDetail?.current !== undefined) return;
    if (m.status) ctx.err(`${m.id ? `${m.id}: ` : ''}${m.status}\n`);
  });
}
