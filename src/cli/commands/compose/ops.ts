/** start, stop, restart, kill, pause, unpause, rm and scale over the project's containers. */
import type { Command } from 'commander';
import { containerVerb, up, type ContainerVerb } from '../../../compose';
import { UsageError, intArg, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { parseScale } from './lifecycle';
import { project, runtime } from './project-context';

const DESCRIPTIONS: Record<ContainerVerb, string> = {
  start: 'Start services', stop: 'Stop services', restart: 'Restart service containers', kill: 'Force stop service containers',
  pause: 'Pause services', unpause: 'Unpause services', rm: 'Removes stopped service containers',
};

export function verbCommand(ctx: CliContext, verb: ContainerVerb): Command {
  const cmd = newCommand(verb, '[OPTIONS] [SERVICE...]', DESCRIPTIONS[verb]).argument('[services...]');
  if (verb === 'stop' || verb === 'restart') cmd.option('-t, --timeout <int>', 'Specify a shutdown timeout in seconds', intArg('--timeout'));
  if (verb === 'kill') cmd.option('-s, --signal <string>', 'SIGNAL to send to the container', 'SIGKILL');
  if (verb === 'rm') {
    cmd.option('-f, --force', "Don't ask to confirm removal").option('-s, --stop', 'Stop the containers, if required, before removing')
      .option('-v, --volumes', 'Remove any anonymous volumes attached to containers');
  }
  return cmd.action(async (services: string[], f: { timeout?: number; signal?: string; stop?: boolean; volumes?: boolean }) => {
    const acted = await containerVerb(runtime(ctx), project(ctx, cmd), verb, { services, timeout: f.timeout, signal: f.signal, stop: f.stop, volumes: f.volumes });
    if (verb === 'rm' && !acted.length) ctx.err('No stopped containers\n');
  });
}

export function scaleCommand(ctx: CliContext): Command {
  const cmd = newCommand('scale', '[SERVICE=REPLICAS...]', 'Scale services')
    .option('--no-deps', "Don't start linked services")
    .argument('[specs...]');
  return cmd.action(async (specs: string[], f: { deps?: boolean }) => {
    if (!specs.length) throw new UsageError('scale requires at least one SERVICE=REPLICAS argument', 'args');
    const scale = parseScale(specs);
    await up(runtime(ctx), project(ctx, cmd), { services: Object.keys(scale), scale, detach: true, noDeps: f.deps === false });
  });
}
