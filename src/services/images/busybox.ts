import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { FailedPrecondition } from '../../errdefs';

const MTIME = new Date('2024-01-01T00:00:00Z');
export const BUSYBOX_BINARY = '/bin/busybox';

/**
 * A rootfs tar for the default image, built from the host's static busybox: /bin/busybox,
 * a symlink per applet, /etc/passwd and /etc/group, and the usual empty dirs.
 */
export async function busyboxRootfsTar(binary = BUSYBOX_BINARY): Promise<Readable> {
  let body: Buffer;
  try {
    await stat(binary);
    body = await readFile(binary);
  } catch (err) {
    throw new FailedPrecondition(`cannot build busybox:latest: ${binary} not found (install busybox-static)`, { cause: err });
  }
  const { stdout } = await promisify(execFile)(binary, ['--list']);
  const applets = stdout.split('\n').map((s) => s.trim()).filter((s) => s && s !== 'busybox' && !s.includes('/'));
  const pack = tar.pack();
  const add = (h: Partial<tar.Header> & { name: string }, data?: string | Buffer) => {
    const header = { mtime: MTIME, uid: 0, gid: 0, mode: h.type === 'directory' ? 0o755 : 0o644, ...h } as tar.Header;
    if (data !== undefined) pack.entry(header, data);
    else pack.entry(header);
  };
  for (const d of ['bin', 'dev', 'etc', 'home', 'proc', 'root', 'sys', 'usr', 'usr/bin', 'usr/sbin', 'sbin', 'var', 'var/spool', 'var/www']) {
    add({ name: `${d}/`, type: 'directory', mode: d === 'root' ? 0o700 : 0o755 });
  }
  add({ name: 'tmp/', type: 'directory', mode: 0o1777 });
  add({ name: 'bin/busybox', mode: 0o755 }, body);
  for (const a of applets) add({ name: `bin/${a}`, type: 'symlink', linkname: 'busybox', mode: 0o777 });
  add({ name: 'etc/passwd' }, 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
  add({ name: 'etc/group' }, 'root:x:0:\nnobody:x:65534:\n');
  add({ name: 'etc/hostname' }, '');
  add({ name: 'etc/hosts' }, '');
  add({ name: 'etc/resolv.conf' }, '');
  pack.finalize();
  return pack as unknown as Readable;
}
