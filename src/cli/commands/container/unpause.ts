/** `berth unpause`: thaw the containers' processes, names echoed. */
import type { Command } from 'commander';
import type { CliContext } from '../../context';
import { pauseLike } from './pause';

export function unpauseCommand(ctx: CliContext): Command {
  return pauseLike(ctx, 'unpause', 'Unpause all processes within one or more containers');
}
