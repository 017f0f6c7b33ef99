/** `compose build`, `pull` and `images`. */
import type { Command } from 'commander';
import { buildService, imageName, projectContainers, pullService, targetServices } from '../../../compose';
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

export function pullCommand(ctx: CliContext): Command {
  const cmd = newCommand('pull', '[OPTIONS] [SERVICE...]', 'Pull service images')
    .option('--ignore-pull-failures', 'Pull what it can and ignores images with pull failures')
    .argument('[services...]');
  return cmd.action(async (services: string[], f: { ignorePullFailures?: boolean }) => {
    const p = project(ctx, cmd);
    for (const s of targetServices(p, services, false)) {
      if (!p.services[s].image) continue;
      try { await pullService(runtime(ctx), p, p.services[s]); } catch (err) {
        if (!f.ignorePullFailures) throw err;
        ctx.err(`${(err as Error).message}\n`);
      }
    }
  });
}

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
