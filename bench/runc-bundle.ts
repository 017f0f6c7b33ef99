import { copyFile, mkdir, readFile, symlink, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked } from './timed';

const BUSYBOX = '/bin/busybox';

/**
 * Makes an OCI bundle in `dir`: a rootfs holding a static busybox and its applet links, and
 * runc's default config with no terminal and `true` as the process. Returns the bundle path.
 */
export async function makeBusyboxBundle(dir: string): Promise<string> {
  const bundle = join(dir, 'bundle');
  const rootfs = join(bundle, 'rootfs');
  for (const d of ['bin', 'proc', 'sys', 'dev', 'tmp', 'etc']) await mkdir(join(rootfs, d), { recursive: true });
  await copyFile(BUSYBOX, join(rootfs, 'bin/busybox'));
  await chmod(join(rootfs, 'bin/busybox'), 0o755);
  const { stdout } = await runChecked(BUSYBOX, ['--list']);
  for (const applet of stdout.split('\n').map((s) => s.trim())) {
    if (applet && applet !== 'busybox') await symlink('busybox', join(rootfs, 'bin', applet));
  }
  await runChecked('runc', ['spec', '--bundle', bundle]);
  const configPath = join(bundle, 'config.json');
  const config = JSON.parse(await readFile(configPath, 'utf8'));
  config.process.terminal = false;
  config.process.args = ['true'];
  await writeFile(configPath, JSON.stringify(config, null, 2));
  return bundle;
}
