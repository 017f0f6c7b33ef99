/** `berth volume inspect`: the volumes' JSON, or a template per volume. */
import type { Command } from 'commander';
import { isNotFound } from '../../../errdefs';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, describeError } from '../../errors';
import { GoTemplate } from '../../formatters/go-template';
import { unescapeFormat } from '../../formatters/format';
import { indentJson } from '../system/inspect';

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
    if (f.format && f.format !== 'json') {
      const tpl = new GoTemplate(unescapeFormat(f.format));
      let out = '';
      for (const v of found) {
        try { out += `${tpl.execute(v)}\n`; } catch (err) { throw new ExitStatus(1, `template parsing error: ${(err as Error).message}`); }
      }
      // docker ends the (possibly empty) output with a newline of its own
      ctx.out(found.length ? out : '\n');
    } else {
      ctx.out(`${indentJson(found)}\n`);
    }
    if (errors.length) throw new ExitStatus(1, errors.join('\n'));
  });
}
