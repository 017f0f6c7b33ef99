/** `berth volume COMMAND`: the verbs of the volume group. */
import type { Command } from 'commander';
import type { CliContext } from '../../context';
import { volumeCreateCommand } from './create';
import { volumeInspectCommand } from './inspect';
import { volumeLsCommand } from './ls';
import { volumePruneCommand } from './prune';
import { volumeRmCommand } from './rm';

export function volumeVerbs(ctx: CliContext): Command[] {
  return [
    volumeCreateCommand(ctx), volumeInspectCommand(ctx), volumeLsCommand(ctx).aliases(['list']),
    volumePruneCommand(ctx), volumeRmCommand(ctx).aliases(['remove']),
  ];
}
