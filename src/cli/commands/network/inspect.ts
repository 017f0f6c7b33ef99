/** `berth network inspect`: JSON or a template per network; what is not found is reported after. */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus } from '../../errors';
import { GoTemplate } from '../../formatters/go-template';
import { unescapeFormat } from '../../formatters/format';
import { inspectOutput, lookupEach } from '../system/inspect';

export function networkInspectCommand(ctx: CliContext): Command {
  const cmd = newCommand('inspect', '[OPTIONS] NETWORK [NETWORK...]', 'Display detailed information on one or more networks')
    .option('-f, --format <string>', 'Format output using a custom template')
    .option('-v, --verbose', 'Verbose output for diagnostics')
    .argument('[networks...]');
  return cmd.action(async (args: string[], f: { format?: string }) => {
    checkArgs(cmd, args, 1);
    const { found, errors } = await lookupEach(args, (n) => ctx.client.networks.inspect(n));
    ctx.out(inspectOutput(found, f.format && f.format !== 'json' ? new GoTemplate(unescapeFormat(f.format)) : undefined));
    if (errors.length) throw new ExitStatus(1, errors.join('\n'));
  });
}
