/** `berth volume create`: create a volume and print its name. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { UsageError, checkArgs, collect, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';

interface CreateFlags { driver: string; label?: string[]; opt?: string[]; name?: string }

/** `k=v` pairs (a bare `k` is `k=""`, as docker's label list reads it). */
function pairs(list: string[] | undefined, flag: string, bareAllowed: boolean): Record<string, string> | undefined {
  if (!list?.length) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) {
    const i = item.indexOf('=');
    if (i < 0 && !bareAllowed) throw new UsageError(`invalid argument "${item}" for "${flag}" flag: invalid key value pair format`);
    if (i < 0) out[item] = ''; else out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

export function volumeCreateCommand(ctx: CliContext): Command {
  const cmd = newCommand('create', '[OPTIONS] [VOLUME]', 'Create a volume')
    .option('-d, --driver <string>', 'Specify volume driver name', 'local')
    .option('--label <list>', 'Set metadata for a volume', collect)
    .option('-o, --opt <map>', 'Set driver specific options', collect)
    .addOption(new Option('--name <string>', 'Specify volume name').hideHelp())
    .argument('[volume...]');
  return cmd.action(async (args: string[], f: CreateFlags) => {
    checkArgs(cmd, args, 0, 1);
    if (f.name && args.length) throw new UsageError('conflicting options: either specify --name or provide positional arg, not both', 'args');
    const vol = await ctx.client.volumes.create({
      Name: f.name ?? args[0] ?? '', Driver: f.driver,
      DriverOpts: pairs(f.opt, '-o, --opt', false) ?? {}, Labels: pairs(f.label, '--label', true) ?? {},
    });
    ctx.out(`${vol.Name}\n`);
  });
}
