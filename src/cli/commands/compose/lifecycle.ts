/** `berth compose up` and `down`. */
import type { Command } from 'commander';
import { down, hasDefaultFile, projectByName, up } from '../../../compose';
import { UsageError, collect, intArg, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { globalsOf, project, runtime, withInterrupt } from './project-context';

interface UpFlags {
  detach?: boolean; build?: boolean; noBuild?: boolean; forceRecreate?: boolean; deps?: boolean; scale?: string[];
  wait?: boolean; abortOnContainerExit?: boolean; removeOrphans?: boolean; color?: boolean;
}

export function parseScale(specs: string[] = []): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of specs) {
    const m = /^([^=]+)=(\d+)$/.exec(s);
    if (!m) throw new UsageError(`invalid --scale value "${s}": expected SERVICE=NUM`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

export function upCommand(ctx: CliContext): Command {
  const cmd = newCommand('up', '[OPTIONS] [SERVICE...]', 'Create and start containers')
    .option('-d, --detach', 'Detached mode: Run containers in the background')
    .option('--build', 'Build images before starting containers')
    .option('--no-build', "Don't build an image, even if it's policy")
    .option('--force-recreate', "Recreate containers even if their configuration and image haven't changed")
    .option('--no-deps', "Don't start linked services")
    .option('--scale <string>', 'Scale SERVICE to NUM instances. Overrides the scale setting in the Compose file if present.', collect)
    .option('--wait', 'Wait for services to be running|healthy. Implies detached mode.')
    .option('--abort-on-container-exit', 'Stops all containers if any container was stopped. Incompatible with -d')
    .option('--remove-orphans', 'Remove containers for services not defined in the Compose file')
    .option('--no-color', 'Produce monochrome output')
    .argument('[services...]');
  return cmd.action(async (services: string[], f: UpFlags) => {
    if (f.detach && f.abortOnContainerExit) throw new UsageError('--abort-on-container-exit and --detach are incompatible');
    const p = project(ctx, cmd);
    const build = f.build ? 'always' : f.noBuild || f.build === false ? 'never' : 'auto';
    ctx.exitCode = await withInterrupt((signal) => up(runtime(ctx, signal), p, {
      services, detach: !!f.detach || !!f.wait, build, forceRecreate: f.forceRecreate, noDeps: f.deps === false,
      scale: parseScale(f.scale), wait: f.wait, abortOnContainerExit: f.abortOnContainerExit, removeOrphans: f.removeOrphans,
      color: f.color !== false && !!ctx.io.stdout.isTTY,
    }));
  });
}

export function downCommand(ctx: CliContext): Command {
  const cmd = newCommand('down', '[OPTIONS]', 'Stop and remove containers, networks')
    .option('-v, --volumes', 'Remove named volumes declared in the "volumes" section of the Compose file and anonymous volumes attached to containers')
    .option('--rmi <type>', 'Remove images used by services. "local" remove only images that don\'t have a custom tag ("local"|"all")')
    .option('--remove-orphans', 'Remove containers for services not defined in the Compose file')
    .option('-t, --timeout <int>', 'Specify a shutdown timeout in seconds', intArg('--timeout'));
  return cmd.action(async (f: { volumes?: boolean; rmi?: string; removeOrphans?: boolean; timeout?: number }) => {
    if (f.rmi && f.rmi !== 'all' && f.rmi !== 'local') throw new UsageError(`invalid --rmi option "${f.rmi}"`);
    // `-p NAME` alone, with no compose file around, takes the project down by its labels
    const g = globalsOf(cmd);
    const byName = g.projectName && !g.file?.length && !hasDefaultFile(g.projectDirectory ?? process.cwd());
    const p = byName ? projectByName(g.projectName!, process.cwd()) : project(ctx, cmd);
    await down(runtime(ctx), p, { volumes: f.volumes, rmi: f.rmi as 'all' | 'local' | undefined, removeOrphans: f.removeOrphans || !!byName, timeout: f.timeout });
  });
}
