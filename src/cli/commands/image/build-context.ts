/**
 * The build context as the docker CLI sends it: a directory tarred with `.dockerignore`
 * applied (or `<Dockerfile>.dockerignore` next to the Dockerfile, as BuildKit reads it),
 * owners set to root, the Dockerfile and the ignore file always sent; a Dockerfile from stdin
 * or from outside the directory added under a random name the ignore file then excludes;
 * stdin or a file that is already a tar sent as it is; a bare Dockerfile on stdin wrapped.
 */
import { createReadStream } from 'node:fs';
import { lstat, open, readFile, readdir, readlink, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { PatternMatcher, readIgnoreFile } from '../../../lib/dockerignore';
import { peekStream } from '../../../lib/peek-stream';
import { ExitStatus } from '../../errors';

export interface ContextSource {
  /** The tar stream to send. */
  tar: Readable;
  /** The Dockerfile's path inside the context (the `dockerfile` query parameter). */
  dockerfile?: string;
}

const prepareError = (msg: string) => new ExitStatus(1, `unable to prepare context: ${msg}`);

/** docker's IsArchive: a compression magic number, or a tar header. */
export function isArchive(head: Buffer): boolean {
  const magics = [[0x1f, 0x8b], [0x42, 0x5a, 0x68], [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], [0x28, 0xb5, 0x2f, 0xfd]];
  if (magics.some((m) => m.every((b, i) => head[i] === b))) return true;
  return head.length >= 512 && head.subarray(257, 262).toString('latin1') === 'ustar';
}

/** A one-file tar. */
function singleFileTar(name: string, data: Buffer): Readable {
  const pack = tar.pack();
  pack.entry({ name, mode: 0o600, uid: 0, gid: 0, mtime: new Date() }, data);
  pack.finalize();
  return pack as unknown as Readable;
}

/** `-`: stdin is either a tar context or a Dockerfile (wrapped into a context of its own). */
export async function contextFromStdin(stdin: Readable, dockerfile: string | undefined): Promise<ContextSource> {
  const { head, stream: rest } = await peekStream(stdin, 1024);
  if (isArchive(head)) return { tar: rest, dockerfile };
  if (dockerfile === '-') throw prepareError('build context is not an archive');
  const chunks: Buffer[] = [];
  for await (const c of rest) chunks.push(c as Buffer);
  return { tar: singleFileTar('Dockerfile', Buffer.concat(chunks)), dockerfile: 'Dockerfile' };
}

/** A context file that is already an archive. */
export async function contextFromFile(file: string, dockerfile: string | undefined): Promise<ContextSource> {
  const head = Buffer.alloc(1024);
  const fh = await open(file, 'r');
  try { await fh.read(head, 0, 1024, 0); } finally { await fh.close(); }
  if (!isArchive(head)) throw prepareError(`${file} is neither a directory nor a tar archive`);
  return { tar: createReadStream(file), dockerfile };
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

/** docker's getDockerfileRelPath: `-f` is relative to the current directory; default `Dockerfile` (or `dockerfile`). */
async function locateDockerfile(dir: string, file: string | undefined): Promise<string> {
  let path = file ? resolve(file) : join(dir, 'Dockerfile');
  if (!file && !(await exists(path)) && (await exists(join(dir, 'dockerfile')))) path = join(dir, 'dockerfile');
  const st = await stat(path).catch(() => undefined);
  if (!st) throw prepareError(`Cannot locate specified Dockerfile: ${file ?? 'Dockerfile'}`);
  if (st.isDirectory()) throw prepareError(`Cannot locate specified Dockerfile: ${file ?? 'Dockerfile'}`);
  return path;
}

/**
 * A context directory. `dockerfileText` is a Dockerfile read from stdin (`-f -`); otherwise
 * `dockerfile` (the `-f` path) or the directory's own Dockerfile is used.
 */
export async function contextFromDir(dirArg: string, opts: { dockerfile?: string; dockerfileText?: Buffer }): Promise<ContextSource> {
  const dir = resolve(dirArg);
  let extra: { name: string; data: Buffer } | undefined;
  let relDockerfile: string;
  let ignoreFile = join(dir, '.dockerignore');
  if (opts.dockerfileText) {
    extra = { name: `.dockerfile.${randomBytes(10).toString('hex')}`, data: opts.dockerfileText };
    relDockerfile = extra.name;
  } else {
    const path = await locateDockerfile(dir, opts.dockerfile);
    const rel = relative(dir, path);
    if (rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      extra = { name: `.dockerfile.${randomBytes(10).toString('hex')}`, data: await readFile(path) };
      relDockerfile = extra.name;
    } else {
      relDockerfile = rel.split(sep).join('/');
    }
    if (await exists(`${path}.dockerignore`)) ignoreFile = `${path}.dockerignore`;
  }
  let patterns: string[] = [];
  try { patterns = readIgnoreFile(await readFile(ignoreFile, 'utf8')); } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  let pm: PatternMatcher;
  try { pm = new PatternMatcher(patterns); } catch (err) {
    throw new ExitStatus(1, `error checking context: ${(err as Error).message}`);
  }
  // the Dockerfile and .dockerignore always go (docker's TrimBuildFilesFromExcludes); with a
  // Dockerfile added under a random name, .dockerignore is sent with that name appended
  const keep = new Set(extra ? [] : ['.dockerignore', relDockerfile]);
  const skip = new Set(extra ? ['.dockerignore'] : []);
  const pack = tar.pack();
  const add = async (rel: string): Promise<void> => {
    for (const name of (await readdir(join(dir, rel))).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (skip.has(r)) continue;
      const p = join(dir, r);
      const st = await lstat(p);
      const excluded = !keep.has(r) && pm.matches(r);
      if (excluded && !(st.isDirectory() && pm.exclusions)) continue;
      const h = { name: r, mode: st.mode & 0o7777, uid: 0, gid: 0, mtime: st.mtime };
      if (st.isDirectory()) {
        if (!excluded) await entry(pack, { ...h, name: `${r}/`, type: 'directory' });
        await add(r);
      } else if (excluded) {
        continue;
      } else if (st.isSymbolicLink()) {
        await entry(pack, { ...h, type: 'symlink', linkname: await readlink(p) });
      } else if (st.isFile()) {
        await new Promise<void>((res, rej) => {
          const sink = pack.entry({ ...h, type: 'file', size: st.size }, (e) => (e ? rej(e) : res()));
          createReadStream(p).on('error', rej).pipe(sink);
        });
      }
    }
  };
  (async () => {
    await add('');
    if (extra) {
      const old = await readFile(join(dir, '.dockerignore')).catch(() => undefined);
      const ignore = Buffer.concat([old ?? Buffer.alloc(0), Buffer.from(`${old ? '\n' : ''}${extra.name}\n`)]);
      await entry(pack, { name: '.dockerignore', mode: 0o644, uid: 0, gid: 0, mtime: new Date(), size: ignore.length }, ignore);
      await entry(pack, { name: extra.name, mode: 0o600, uid: 0, gid: 0, mtime: new Date(), size: extra.data.length }, extra.data);
    }
    pack.finalize();
  })().catch((err) => pack.destroy(err as Error));
  return { tar: pack as unknown as Readable, dockerfile: relDockerfile };
}

function entry(pack: tar.Pack, h: Partial<tar.Header> & { name: string }, data?: Buffer): Promise<void> {
  return new Promise((res, rej) => pack.entry(h as tar.Header, data ?? Buffer.alloc(0), (e) => (e ? rej(e) : res())));
}

