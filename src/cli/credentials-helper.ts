/**
 * The docker-credential-helpers protocol: `docker-credential-<name> store|get|erase`, the
 * request on stdin (JSON `{ServerURL,Username,Secret}` for store, the server URL for get
 * and erase), the answer on stdout; "credentials not found" on stdout with a non-zero exit
 * means none stored. Username `<token>` marks an identity token in Secret.
 */
import { spawn } from 'node:child_process';

export interface HelperCredentials { ServerURL: string; Username: string; Secret: string }

function runHelper(name: string, action: string, input: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(`docker-credential-${name}`, [action], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    p.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT'
      ? Object.assign(new Error(`exec: "docker-credential-${name}": executable file not found in $PATH`), { helperMissing: true })
      : e));
    p.on('close', (code) => resolve({ code: code ?? 1, out: out.trim() }));
    p.stdin.end(input);
  });
}

export async function helperGet(name: string, serverURL: string): Promise<HelperCredentials | undefined> {
  const { code, out } = await runHelper(name, 'get', serverURL);
  if (code !== 0) {
    if (/credentials not found/i.test(out)) return undefined;
    throw new Error(`error getting credentials - err: exit status ${code}, out: \`${out}\``);
  }
  return JSON.parse(out) as HelperCredentials;
}

export async function helperStore(name: string, creds: HelperCredentials): Promise<void> {
  const { code, out } = await runHelper(name, 'store', JSON.stringify(creds)).catch((e: Error & { helperMissing?: boolean }) => {
    if (e.helperMissing) throw new Error(`error storing credentials - err: ${e.message}, out: \`\``);
    throw e;
  });
  if (code !== 0) throw new Error(`error storing credentials - err: exit status ${code}, out: \`${out}\``);
}

export async function helperErase(name: string, serverURL: string): Promise<void> {
  const { code, out } = await runHelper(name, 'erase', serverURL);
  if (code !== 0 && !/credentials not found/i.test(out)) throw new Error(`error erasing credentials - err: exit status ${code}, out: \`${out}\``);
}
