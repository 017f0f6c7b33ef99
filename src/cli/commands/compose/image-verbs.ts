/** `compose build`, `pull`, `push` and `images`. */
import type { Command } from 'commander';
import { buildService, imageName, projectContainers, pullService, pushService, targetServices } from '../../../compose';
import { newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { project, runtime } from './project-context';

export function buildCommand(ctx: CliContext): Command {
  const cmd = newCommand('build', '[OPTIONS] [SERVICE...]', 'Build or rebuild services')
    .option('--no-cache', 'Do not use cache when building the image')
    .option('--pull', 'Always attempt to pull a newer version of the image')
    .argument('[services...]');
  return cmd.action(async (services: string[], f: { cache?: boolean; pull?: boolean }) => {
    const p = project(ctx, cmd);
    for (const s of targetServices(p, services, false)) {
      if (p.services[s].build) await buildService(runtime(ctx), p, p.services[s], { noCache: f.cache === false, pull: f.pull });
    }
  });
}

/** pull and push differ only in their words and the executor call; both act on services that name an image. */
function transferCommand(ctx: CliContext, verb: 'pull' | 'push'): Command {
  const cmd = newCommand(verb, '[OPTIONS] [SERVICE...]', verb === 'pull' ? 'Pull service images' : 'Push service images')
    .option(`--ignore-${verb}-failures`, `${verb === 'pull' ? 'Pull' : 'Push'} what it can and ignores images with ${verb} failures`)
    .argument('[services...]');
  const transfer = verb === 'pull' ? pullService : pushService;
  return cmd.action(async (services: string[], f: { ignorePullFailures?: boolean; ignorePushFailures?: boolean }) => {
    const p = project(ctx, cmd);
    for (const s of targetServices(p, services, false)) {
      if (!p.services[s].image) continue;
      try { await transfer(runtime(ctx), p, p.services[s]); } catch (err) {
        if (!(f.ignorePullFailures || f.ignorePushFailures)) throw err;
        ctx.err(`${(err as Error).message}\n`);
      }
    }
  });
}

export const pullCommand = (ctx: CliContext) => transferCommand(ctx, 'pull');
export const pushCommand = (ctx: CliContext) => transferCommand(ctx, 'push');

export function imagesCommand(ctx: CliContext): Command {
  const cmd = newCommand('images', '[OPTIONS] [SERVICE...]', 'List images used by the created containers')
    .option('-q, --quiet', 'Only display IDs')
    .argument('[services...]');
  return cmd.action(async (services: string[], f: { quiet?: boolean }) => {
    const p = project(ctx, cmd);
    const cs = await projectContainers(ctx.client, p.name, { services });
    const rows: string[] = [];
    for (const c of cs) {
      const img = await ctx.client.images.inspect(c.summary.ImageID);
      const id = String(img.Id).replace(/^sha256:/, '').slice(0, 12);
      if (f.quiet) { rows.push(id); continue; }
      const ref = p.services[c.service] ? imageName(p, p.services[c.service]) : c.summary.Image;
      const [repo, tag = 'latest'] = ref.split(/:(?=[^/]*$)/);
      rows.push([c.name, repo, tag, id, `${(Number(img.Size) / 1e6).toFixed(1)}MB`].join('\t'));
    }
    ctx.out(f.quiet ? rows.map((r) => `${r}\n`).join('') : ['CONTAINER\tREPOSITORY\tTAG\tIMAGE ID\tSIZE', ...rows].join('\n') + '\n');
  });
}
