import { chmod, chown, stat } from 'node:fs/promises';
import { runCommand } from './run-command';

/**
 * Copies the content of directory src into directory dst with owners, modes, times, links and
 * device nodes kept (`cp -a src/. dst`), then gives dst src's owner and mode, as Docker's
 * copy-up of image content into a new volume does.
 */
export async function copyTree(src: string, dst: string): Promise<void> {
  await runCommand('cp', ['-a', '--', `${src}/.`, dst]);
  const st = await stat(src);
  await chown(dst, st.uid, st.gid);
  await chmod(dst, st.mode & 0o7777);
}
