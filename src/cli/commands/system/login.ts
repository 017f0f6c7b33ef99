/** `berth login`: checks credentials through POST /auth, then keeps them as docker's CLI does. */
import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, describeError } from '../../errors';
import { INDEX_SERVER, configPath, credentialKey, getCredentials, storeCredentials, usesHelper, type AuthConfig } from '../../credentials';

interface LoginFlags { username?: string; password?: string; passwordStdin?: boolean }

const PLAIN_TEXT_WARNING = (path: string) => `
WARNING! Your credentials are stored unencrypted in '${path}'.
Configure a credential helper to remove this warning. See
https://docs.docker.com/go/credential-store/

`;

export function loginCommand(ctx: CliContext): Command {
  const cmd = newCommand('login', '[OPTIONS] [SERVER]', 'Log in to a registry.\nIf no server is specified, the default is defined by the daemon.')
    .option('-p, --password <string>', 'Password')
    .option('--password-stdin', 'Take the password from stdin')
    .option('-u, --username <string>', 'Username')
    .argument('[args...]');
  return cmd.action(async (args: string[], f: LoginFlags) => {
    checkArgs(cmd, args, 0, 1);
    if (f.password && f.passwordStdin) throw new ExitStatus(1, '--password and --password-stdin are mutually exclusive');
    let password = f.password;
    if (f.passwordStdin) {
      if (!f.username) throw new ExitStatus(1, 'Must provide --username with --password-stdin');
      password = (await readAllText(ctx.io.stdin)).replace(/[\r\n]+$/, '');
    }
    if (f.password) ctx.err('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
    const server = args[0] ? credentialKey(args[0]) : INDEX_SERVER;
    const api = ctx.client.registry;

    let creds: AuthConfig | undefined;
    let status: { Status: string; IdentityToken?: string } | undefined;
    if (!f.username && !password) {
      const stored = await getCredentials(server, ctx.env);
      if (stored) {
        ctx.err(`Authenticating with existing credentials...${stored.username ? ` [Username: ${stored.username}]` : ''}\n\n`);
        ctx.err(" Info -> To login with a different account, run 'berth logout' followed by 'berth login'\n\n\n");
        try { status = await api.auth(stored); } catch (e) {
          ctx.err(`Login did not succeed, error: ${describeError(e)}\n`);
        }
        if (status) { ctx.out(`${status.Status || 'Login Succeeded'}\n`); return; }
      }
    }
    if (!status) {
      creds = await promptMissing(ctx, { username: f.username, password, serveraddress: server });
      status = await api.auth(creds);
    }
    const saved: AuthConfig = status.IdentityToken ? { ...creds!, password: '', identitytoken: status.IdentityToken } : creds!;
    saved.serveraddress = server;
    if (!(await usesHelper(server, ctx.env))) ctx.err(PLAIN_TEXT_WARNING(configPath(ctx.env)));
    try { await storeCredentials(saved, ctx.env); } catch (e) {
      throw new ExitStatus(1, `Error saving credentials: ${(e as Error).message}`);
    }
    ctx.out(`${status.Status || 'Login Succeeded'}\n`);
  });
}

async function readAllText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Docker's interactive prompts for what the flags left out; refused without a terminal. */
async function promptMissing(ctx: CliContext, a: AuthConfig): Promise<AuthConfig> {
  if (a.username && a.password) return a;
  if (!ctx.io.stdin.isTTY) throw new ExitStatus(1, 'Error: Cannot perform an interactive login from a non TTY device');
  const out = ctx.io.stdout;
  const rl = createInterface({ input: ctx.io.stdin, output: out, terminal: true });
  // Lines are read through the iterator (it buffers what arrives before the next prompt);
  // readline's echo is dropped from the password's line on, whenever it arrives.
  const passwordLine = a.username ? 0 : 1;
  let seen = 0;
  rl.on('line', () => { seen++; });
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s) => { if (seen < passwordLine) out.write(s); };
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (prompt: string): Promise<string> => {
    out.write(prompt);
    const line = await lines.next();
    return line.done ? '' : String(line.value);
  };
  try {
    const username = a.username || (await ask('Username: ')).trim();
    if (!username) throw new ExitStatus(1, 'Error: Non-null Username Required');
    let password = a.password;
    if (!password) {
      password = await ask('Password: ');
      out.write('\n');
    }
    if (!password) throw new ExitStatus(1, 'Error: Password Required');
    return { ...a, username, password };
  } finally { rl.close(); }
}
