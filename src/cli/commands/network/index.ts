/** `berth network ...`: the network verbs. */
import type { Command } from 'commander';
import type { CliContext } from '../../context';
import { networkConnectCommand, networkDisconnectCommand } from './connect';
import { networkCreateCommand } from './create';
import { networkInspectCommand } from './inspect';
import { networkLsCommand } from './ls';
import { networkPruneCommand } from './prune';
import { networkRmCommand } from './rm';

export function networkVerbs(ctx: CliContext): Command[] {
  return [
    networkConnectCommand(ctx), networkCreateCommand(ctx), networkDisconnectCommand(ctx), networkInspectCommand(ctx),
    networkLsCommand(ctx).aliases(['list']), networkPruneCommand(ctx), networkRmCommand(ctx).aliases(['remove']),
  ];
}
