/** `berth volume inspect`: the volumes' JSON, or a template per volume. */
import type { Command } from 'commander';
import { isNotFound } from '../../../errdefs';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, describeError } from '../../errors';
import { GoTemplate } from '../../formatters/go-template';
import { unescapeFormat } from '../../formatters/format';
import { inspectOutput } from '../system/inspect';

export function volumeInspectCommand(ctx: CliContext): Command {
  const cmd = newCommand('inspect', '[OPTIONS] VOLUME [VOLUME...]', 'Display detailed information on one or more volumes')
    .option('-f, --format <string>', 'Format output using a custom template')
    .argument('[volumes...]');
  return cmd.action(async (args: string[], f: { format?: string }) => {
    checkArgs(cmd, args, 1);
    const found: unknown[] = [];
    const errors: string[] = [];
    for (const name of args) {
      try { found.push(await ctx.client.volumes.inspect(name)); } catch (err) {
        if (!isNotFound(err)) throw err;
        errors.push(describeError(err));
      }
    }
    ctx.out(inspectOutput(found, f.format && f.format !== 'json' ? new GoTemplate(unescapeFormat(f.format)) : undefined));
    if (errors.length) throw new ExitStatus(1, errors.join('\n'));
  });
}
