/** `berth create`: create a container and print its ID. */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { createContainer } from './create-container';
import { addCreateFlags, buildCreateRequest, type CreateFlags } from './create-flags';

export function createCommand(ctx: CliContext): Command {
  const cmd = newCommand('create', '[OPTIONS] IMAGE [COMMAND] [ARG...]', 'Create a new container')
    .argument('[args...]')
    .passThroughOptions();
  addCreateFlags(cmd);
  return cmd.action(async (args: string[], flags: CreateFlags) => {
    checkArgs(cmd, args, 1);
    const [image, ...rest] = args;
    const req = buildCreateRequest(flags, image, rest, { env: ctx.env, entrypointGiven: flags.entrypoint !== undefined });
    // Unlike run, docker's create reports daemon errors plainly and exits 1.
    ctx.out(`${(await createContainer(ctx, req)).Id}\n`);
  });
}
