/** The command tree: docker's top-level commands and their `container`/`image`/`system` forms. */
import { Command } from 'commander';
import { PROG, newCommand } from './command-kit';
import type { CliContext } from './context';
import { berthVersion } from './build-info';
import { attachCommand } from './commands/container/attach';
import { commitCommand } from './commands/container/commit';
import { execCommand } from './commands/container/exec';
import { createCommand } from './commands/container/create';
import { logsCommand } from './commands/container/logs';
import { psCommand } from './commands/container/ps';
import { rmCommand } from './commands/container/rm';
import { runCommand } from './commands/container/run';
import { startCommand } from './commands/container/start';
import { killCommand, restartCommand, stopCommand } from './commands/container/stop';
import { waitCommand } from './commands/container/wait';
import { cpCommand } from './commands/container/cp';
import { diffCommand } from './commands/container/diff';
import { exportCommand } from './commands/container/export';
import { pauseCommand } from './commands/container/pause';
import { unpauseCommand } from './commands/container/unpause';
import { topCommand } from './commands/container/top';
import { portCommand } from './commands/container/port';
import { renameCommand } from './commands/container/rename';
import { pruneCommand } from './commands/container/prune';
import { updateCommand } from './commands/container/update';
import { statsCommand } from './commands/container/stats';
import { eventsCommand } from './commands/system/events';
import { buildCommand } from './commands/image/build';
import { builderVerbs } from './commands/builder';
import { composeCommand } from './commands/compose';
import { historyCommand } from './commands/image/history';
import { imagesCommand } from './commands/image/images';
import { importCommand } from './commands/image/import';
import { loadCommand } from './commands/image/load';
import { rmiCommand } from './commands/image/rmi';
import { saveCommand } from './commands/image/save';
import { tagCommand } from './commands/image/tag';
import { pullCommand } from './commands/image/pull';
import { pushCommand } from './commands/image/push';
import { imagePruneCommand } from './commands/image/prune';
import { dfCommand } from './commands/system/df';
import { infoCommand } from './commands/system/info';
import { inspectCommand } from './commands/system/inspect';
import { versionCommand } from './commands/system/version';
import { loginCommand } from './commands/system/login';
import { logoutCommand } from './commands/system/logout';
import { searchCommand } from './commands/system/search';
import { networkVerbs } from './commands/network';
import { volumeVerbs } from './commands/volume';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command(PROG)
    .usage('[OPTIONS] COMMAND')
    .description('A self-sufficient runtime for containers')
    .helpOption('--help', 'Print usage')
    .option('-H, --host <string>', 'Daemon socket to connect to')
    .option('--tls', 'Use TLS; implied by --tlsverify')
    .option('--tlsverify', 'Use TLS and verify the remote')
    .option('--tlscacert <string>', 'Trust certs signed only by this CA (default "~/.docker/ca.pem")')
    .option('--tlscert <string>', 'Path to TLS certificate file (default "~/.docker/cert.pem")')
    .option('--tlskey <string>', 'Path to TLS key file (default "~/.docker/key.pem")')
    .option('-D, --debug', 'Enable debug mode')
    .version(`berth version ${berthVersion()}, build unknown`, '-v, --version', 'Print version information and quit')
    .enablePositionalOptions();

  const containerVerbs = (): Command[] => [
    attachCommand(ctx), createCommand(ctx), execCommand(ctx), inspectCommand(ctx, 'container'), killCommand(ctx), logsCommand(ctx),
    psCommand(ctx, 'ls').aliases(['ps', 'list']), restartCommand(ctx), rmCommand(ctx).aliases(['remove']),
    runCommand(ctx), startCommand(ctx), stopCommand(ctx), waitCommand(ctx),
    cpCommand(ctx), commitCommand(ctx), diffCommand(ctx), exportCommand(ctx),
    pauseCommand(ctx), unpauseCommand(ctx), topCommand(ctx), portCommand(ctx), renameCommand(ctx), pruneCommand(ctx), updateCommand(ctx), statsCommand(ctx),
  ];
  const imageVerbs = (): Command[] => [
    buildCommand(ctx), historyCommand(ctx), importCommand(ctx), inspectCommand(ctx, 'image'), loadCommand(ctx), imagesCommand(ctx, 'ls').aliases(['list']),
    rmiCommand(ctx, 'rm').aliases(['remove']), saveCommand(ctx), tagCommand(ctx), imagePruneCommand(ctx), pullCommand(ctx), pushCommand(ctx),
  ];
  const group = (name: string, description: string, verbs: Command[]) => {
    const g = newCommand(name, 'COMMAND', description).enablePositionalOptions();
    for (const v of verbs) g.addCommand(v);
    return g;
  };

  for (const c of [
    composeCommand(ctx),
    runCommand(ctx), createCommand(ctx), startCommand(ctx), stopCommand(ctx), killCommand(ctx), restartCommand(ctx),
    rmCommand(ctx), waitCommand(ctx), psCommand(ctx), logsCommand(ctx), inspectCommand(ctx), attachCommand(ctx), execCommand(ctx),
    buildCommand(ctx), imagesCommand(ctx), historyCommand(ctx), importCommand(ctx), loadCommand(ctx), saveCommand(ctx), tagCommand(ctx), rmiCommand(ctx), pullCommand(ctx), pushCommand(ctx),
    pauseCommand(ctx), unpauseCommand(ctx), topCommand(ctx), portCommand(ctx), renameCommand(ctx), updateCommand(ctx), statsCommand(ctx), eventsCommand(ctx),
    commitCommand(ctx), cpCommand(ctx), diffCommand(ctx), exportCommand(ctx),
    versionCommand(ctx), infoCommand(ctx), loginCommand(ctx), logoutCommand(ctx), searchCommand(ctx),
    group('container', 'Manage containers', containerVerbs()),
    group('builder', 'Manage builds', builderVerbs(ctx)),
    group('image', 'Manage images', imageVerbs()),
    group('network', 'Manage networks', networkVerbs(ctx)),
    group('volume', 'Manage volumes', volumeVerbs(ctx)),
    group('system', 'Manage Docker', [dfCommand(ctx), eventsCommand(ctx), infoCommand(ctx)]),
  ]) program.addCommand(c);
  return program;
}

/** Every command in the tree, the root first. */
export function allCommands(root: Command): Command[] {
  return [root, ...root.commands.flatMap((c) => allCommands(c))];
}

/**
 * Rewrites `--flag=true|false` for boolean flags (docker's pflag accepts them, commander
 * does not) up to the first positional argument of the chosen command, so container
 * arguments after the image are never touched.
 */
export function normalizeBoolFlags(root: Command, args: string[]): string[] {
  const out: string[] = [];
  let cmd = root;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-') {
      const sub = cmd.commands.find((c) => c.name() === a || c.aliases().includes(a));
      if (!sub) break;
      cmd = sub;
      out.push(a);
      continue;
    }
    const m = /^(--[^=]+|-[A-Za-z])=(.*)$/.exec(a);
    const flag = m ? m[1] : a;
    const opt = cmd.options.find((o) => o.long === flag || o.short === flag);
    if (m && opt && !opt.required && !opt.optional && /^(true|false)$/i.test(m[2])) {
      const negated = `--no-${(opt.long ?? '').slice(2)}`;
      if (m[2].toLowerCase() === 'true') out.push(m[1]);
      else if (cmd.options.some((o) => o.long === negated)) out.push(negated);
      continue;
    }
    out.push(a);
    if (opt && opt.required && !m && !/^-[A-Za-z]./.test(a)) { i++; if (i < args.length) out.push(args[i]); }
  }
  return [...out, ...args.slice(i)];
}
