/** `berth diff`: the changes to files or directories on a container's filesystem. */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ArchiveApi } from '../../../client';

const KIND = ['C', 'A', 'D'];

export function diffCommand(ctx: CliContext): Command {
  const cmd = newCommand('diff', 'CONTAINER', "Inspect changes to files or directories on a container's filesystem")
    .argument('[args...]');
  return cmd.action(async (args: string[]) => {
    checkArgs(cmd, args, 1, 1);
    const changes = await new ArchiveApi(ctx.client.transport).changes(args[0]);
    for (const c of changes ?? []) ctx.out(`${KIND[c.Kind] ?? '?'} ${c.Path}\n`);
  });
}
