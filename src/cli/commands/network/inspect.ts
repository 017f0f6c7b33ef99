/** `berth network inspect`: JSON or a template per network; what is not found is reported after. */
import type { Command } from 'commander';
import { isNotFound } from '../../../errdefs';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, describeError } from '../../errors';
import { GoTemplate } from '../../formatters/go-template';
import { unescapeFormat } from '../../formatters/format';
import { indentJson } from '../system/inspect';

export function networkInspectCommand(ctx: CliContext): Command {
  const cmd = newCommand('inspect', '[OPTIONS] NETWORK [NETWORK...]', 'Display detailed information on one or more networks')
    .option('-f, --format <string>', 'Format output using a custom template')
    .option('-v, --verbose', 'Verbose output for diagnostics')
    .argument('[networks...]');
  return cmd.action(async (args: string[], f: { format?: string }) => {
    checkArgs(cmd, args, 1);
    const found: unknown[] = [];
    const errors: string[] = [];
    for (const n of args) {
      try { found.push(await ctx.client.networks.inspect(n)); } catch (err) {
        if (!isNotFound(err)) throw err;
        errors.push(describeError(err));
      }
    }
    if (f.format) {
      const tpl = new GoTemplate(unescapeFormat(f.format));
      let out = '';
      for (const obj of found) {
        try { out += `${tpl.execute(obj)}\n`; } catch (err) { throw new ExitStatus(1, `template parsing error: ${(err as Error).message}`); }
      }
      ctx.out(out);
    } else {
      ctx.out(`${indentJson(found)}\n`);
    }
    if (errors.length) throw new ExitStatus(1, errors.join('\n'));
  });
}
