/** `berth logout`: forgets a registry's credentials (config.json and any credential helper). */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { INDEX_SERVER, eraseCredentials, hostnameOf } from '../../credentials';

export function logoutCommand(ctx: CliContext): Command {
  const cmd = newCommand('logout', '[SERVER]', 'Log out from a registry.\nIf no server is specified, the default is defined by the daemon.')
    .argument('[args...]');
  return cmd.action(async (args: string[]) => {
    checkArgs(cmd, args, 0, 1);
    const server = args[0] ?? INDEX_SERVER;
    const shown = server === INDEX_SERVER ? server : hostnameOf(server);
    ctx.out(`Removing login credentials for ${shown}\n`);
    await eraseCredentials(server, ctx.env, (w) => ctx.err(w));
  });
}
