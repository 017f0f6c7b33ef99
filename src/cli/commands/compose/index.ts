/** `berth compose`: the global flags and every verb. */
import type { Command } from 'commander';
import { collect, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { buildCommand, imagesCommand, pullCommand, pushCommand } from './image-verbs';
import { execCommand, runCommand } from './interactive';
import { downCommand, upCommand } from './lifecycle';
import { scaleCommand, verbCommand } from './ops';
import { configCommand, logsCommand, lsCommand, portCommand, psCommand, topCommand, versionCommand } from './views';

export function composeCommand(ctx: CliContext): Command {
  const g = newCommand('compose', '[OPTIONS] COMMAND', 'Docker Compose')
    .option('-f, --file <stringArray>', 'Compose configuration files', collect)
    .option('-p, --project-name <string>', 'Project name')
    .option('--project-directory <string>', 'Specify an alternate working directory (default: the path of the, first specified, Compose file)')
    .option('--env-file <stringArray>', 'Specify an alternate environment file', collect)
    .option('--profile <stringArray>', 'Specify a profile to enable', collect)
    .enablePositionalOptions();
  for (const c of [
    upCommand(ctx), downCommand(ctx), psCommand(ctx), logsCommand(ctx), configCommand(ctx), lsCommand(ctx),
    ...(['start', 'stop', 'restart', 'kill', 'pause', 'unpause', 'rm'] as const).map((v) => verbCommand(ctx, v)),
    scaleCommand(ctx), execCommand(ctx), runCommand(ctx), topCommand(ctx), portCommand(ctx), imagesCommand(ctx),
    buildCommand(ctx), pullCommand(ctx), pushCommand(ctx), versionCommand(ctx),
  ]) g.addCommand(c);
  return g;
}
