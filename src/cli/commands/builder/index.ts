import type { Command } from 'commander';
import type { CliContext } from '../../context';
import { buildCommand } from '../image/build';
import { builderPruneCommand } from './prune';

/** `berth builder ...`: docker's build management commands. */
export function builderVerbs(ctx: CliContext): Command[] {
  return [buildCommand(ctx), builderPruneCommand(ctx)];
}
