/** `berth rename OLD NEW`. */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { describeError } from '../../errors';

export function renameCommand(ctx: CliContext): Command {
  const cmd = newCommand('rename', 'CONTAINER NEW_NAME', 'Rename a container').argument('[args...]');
  return cmd.action(async (args: string[]) => {
    checkArgs(cmd, args, 2, 2);
    const [oldName, newName] = args.map((a) => a.trim());
    if (!oldName || !newName) throw new Error('Error: Neither old nor new names may be empty');
    try {
      await ctx.client.transport.send('POST', `/containers/${encodeURIComponent(oldName)}/rename`, { query: { name: newName } });
    } catch (err) {
      ctx.err(`${describeError(err)}\n`);
      throw new Error(`Error: failed to rename container named ${oldName}`);
    }
  });
}
