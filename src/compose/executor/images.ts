/** Service images: built from `build`, pulled when missing, their IDs for the recreate decision. */
import { resolve } from 'node:path';
import { Internal, isNotFound } from '../../errdefs';
import { imageName } from '../planner';
import type { Project, ServiceConfig } from '../types';
import type { ComposeRuntime } from './runtime';

export type BuildPolicy = 'auto' | 'always' | 'never';

export async function imageId(rt: ComposeRuntime, ref: string): Promise<string | undefined> {
  try { return String((await rt.client.images.inspect(ref)).Id); } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function buildService(rt: ComposeRuntime, project: Project, svc: ServiceConfig, o: { noCache?: boolean; pull?: boolean } = {}): Promise<void> {
  const b = svc.build!;
  const tag = imageName(project, svc);
  rt.progress(` Building ${svc.name}`);
  const ctx = await rt.buildContext(b.context, b.dockerfile && resolve(b.context, b.dockerfile));
  let failure: string | undefined;
  await rt.client.build.build(ctx.tar, {
    tags: [tag], dockerfile: ctx.dockerfile, buildArgs: b.args, target: b.target, labels: b.labels, noCache: o.noCache, pull: o.pull,
  }, (m) => {
    if (m.error || m.errorDetail?.message) failure = m.errorDetail?.message ?? m.error;
    else if (m.stream) rt.output(m.stream);
  });
  if (failure) throw new Internal(`failed to build service "${svc.name}": ${failure}`);
  rt.progress(` ✔ Service ${svc.name}  Built`);
}

export async function pullService(rt: ComposeRuntime, project: Project, svc: ServiceConfig): Promise<void> {
  const ref = imageName(project, svc);
  const [name, tag] = splitRef(ref);
  let failure: string | undefined;
  await rt.client.images.pull({ fromImage: name, tag }, (m) => { if (m.error) failure = m.errorDetail?.message ?? m.error; });
  if (failure) throw new Internal(`failed to pull image for service "${svc.name}": ${failure}`);
  rt.progress(` ✔ ${svc.name} Pulled`);
}

/** Pushes the service's image (its `image` name) to its registry. */
export async function pushService(rt: ComposeRuntime, project: Project, svc: ServiceConfig): Promise<void> {
  const [name, tag] = splitRef(imageName(project, svc));
  let failure: string | undefined;
  await rt.client.images.push(name, { tag }, (m) => { if (m.error) failure = m.errorDetail?.message ?? m.error; });
  if (failure) throw new Internal(`failed to push image for service "${svc.name}": ${failure}`);
  rt.progress(` ✔ ${svc.name} Pushed`);
}

function splitRef(ref: string): [string, string] {
  const at = ref.indexOf('@');
  if (at >= 0) return [ref.slice(0, at), ref.slice(at + 1)];
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
}

/** Makes every service's image present: built when asked or missing, pulled when missing. */
export async function ensureImages(rt: ComposeRuntime, project: Project, services: string[], policy: BuildPolicy): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const name of services) {
    const svc = project.services[name];
    const ref = imageName(project, svc);
    let id = policy === 'always' && svc.build ? undefined : await imageId(rt, ref);
    if (!id) {
      if (svc.build && policy !== 'never') await buildService(rt, project, svc);
      else if (!svc.build) await pullService(rt, project, svc);
      else throw new Internal(`image ${ref} for service "${name}" is not built and --no-build was given`);
      id = await imageId(rt, ref);
    }
    if (id) ids.set(name, id);
  }
  return ids;
}
