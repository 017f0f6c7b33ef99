/** `berth inspect` (and `container inspect`, `image inspect`): JSON or a template per object. */
import type { Command } from 'commander';
import { InvalidArgument, NotFound, isNotFound } from '../../../errdefs';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, describeError } from '../../errors';
import { isDaemonError } from '../../../client';
import { GoTemplate } from '../../formatters/go-template';
import { unescapeFormat } from '../../formatters/format';

type Kind = 'container' | 'image' | '';

/** JSON as docker prints it: 4-space indent, `<`, `>`, `&` escaped as Go's encoder does. */
export function indentJson(v: unknown): string {
  return JSON.stringify(v, null, 4).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

async function lookup(ctx: CliContext, name: string, kind: Kind, size: boolean): Promise<unknown> {
  if (kind === 'container' || kind === '') {
    try { return await ctx.client.containers.inspect(name, { size }); } catch (err) { if (!isNotFound(err) || kind) throw err; }
  }
  try { return await ctx.client.images.inspect(name); } catch (err) {
    if (!isNotFound(err) || kind) throw err;
    throw new NotFound(`No such object: ${name}`);
  }
}

/**
 * What docker's inspect commands print: the objects as one JSON array, or the template once per
 * object (a lone newline when none was found).
 */
export function inspectOutput(found: unknown[], tpl?: GoTemplate): string {
  if (!tpl) return `${indentJson(found)}\n`;
  let out = '';
  for (const obj of found) {
    try { out += `${tpl.execute(obj)}\n`; } catch (err) { throw new ExitStatus(1, `template parsing error: ${(err as Error).message}`); }
  }
  return out || '\n';
}

/** Looks each name up; NotFound answers are collected as docker prints them, other errors thrown. */
export async function lookupEach(names: string[], lookup: (name: string) => Promise<unknown>): Promise<{ found: unknown[]; errors: string[] }> {
  const found: unknown[] = [];
  const errors: string[] = [];
  for (const n of names) {
    try { found.push(await lookup(n)); } catch (err) {
      if (!isNotFound(err)) throw err;
      errors.push(describeError(err));
    }
  }
  return { found, errors };
}

export function inspectCommand(ctx: CliContext, fixedKind: Kind = '', name = 'inspect'): Command {
  const cmd = newCommand(name, fixedKind ? `[OPTIONS] ${fixedKind.toUpperCase()} [${fixedKind.toUpperCase()}...]` : '[OPTIONS] NAME|ID [NAME|ID...]',
    fixedKind ? `Display detailed information on one or more ${fixedKind}s` : 'Return low-level information on Docker objects')
    .option('-f, --format <string>', 'Format output using a custom template')
    .option('-s, --size', 'Display total file sizes if the type is container')
    .argument('[names...]');
  if (!fixedKind) cmd.option('--type <string>', 'Only inspect objects of the given type');
  return cmd.action(async (args: string[], f: { format?: string; size?: boolean; type?: string }) => {
    checkArgs(cmd, args, 1);
    const kind = (fixedKind || f.type || '') as Kind;
    if (!['', 'container', 'image'].includes(kind)) throw new InvalidArgument(`"${kind}" is not a valid value for --type`);
    const tpl = f.format ? new GoTemplate(unescapeFormat(f.format)) : undefined;
    const found: unknown[] = [];
    const errors: string[] = [];
    for (const n of args) {
      try { found.push(await lookup(ctx, n, kind, !!f.size)); } catch (err) {
        if (!isNotFound(err)) throw err;
        // A typed lookup reports the daemon's answer; an untyped one docker's "No such object".
        errors.push(isDaemonError(err) ? describeError(err) : `Error: ${(err as Error).message}`);
      }
    }
    ctx.out(inspectOutput(found, tpl));
    if (errors.length) throw new ExitStatus(1, errors.join('\n'));
  });
}
