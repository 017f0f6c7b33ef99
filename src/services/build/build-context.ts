/**
 * The build context of `POST /build`: the request body unpacked into a directory (a tar,
 * plain or gzip; a body that is no tar is taken as the Dockerfile itself), and the Dockerfile
 * read from it as Docker's remotecontext does: `Dockerfile` falls back to `dockerfile`, a
 * missing or empty one is refused, and the Dockerfile and `.dockerignore` are removed from
 * the context when `.dockerignore` excludes them.
 */
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { peekStream } from '../../lib/peek-stream';
import { extractTar, maybeGunzip, MalformedTar, UnsafeTarEntry } from '../../lib/tar';
import { PatternMatcher, readIgnoreFile } from '../../lib/dockerignore';
import { hasErrno, InvalidArgument, NotFound } from '../../errdefs';
import { resolveInScope } from '../../builder/executor';

export const DEFAULT_DOCKERFILE = 'Dockerfile';

/** A tar's first header carries `ustar` at 257 (POSIX and GNU); an old v7 header a valid checksum. */
function looksLikeTar(head: Buffer): boolean {
  if (head.length < 512) return head.length === 0;
  if (head.subarray(257, 262).toString('latin1') === 'ustar') return true;
  const stored = parseInt(head.subarray(148, 156).toString('latin1').replace(/\0.*$/s, '').trim(), 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : head[i];
  return stored === sum;
}

/** Unpacks the request body into dir (which exists). `dockerfile` names the file a bare Dockerfile body becomes. */
export async function receiveContext(body: Readable, dir: string, dockerfile: string): Promise<void> {
  const { head, stream } = await peekStream(await maybeGunzip(body), 512);
  if (!looksLikeTar(head)) {
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    await writeFile(join(dir, dockerfile.replace(/^\/+/, '')), Buffer.concat(chunks));
    return;
  }
  try {
    await extractTar(stream, dir, { whiteouts: false });
  } catch (err) {
    if (err instanceof UnsafeTarEntry || err instanceof MalformedTar) throw new InvalidArgument(`failed to read the build context: ${err.message}`, { cause: err });
    throw err;
  }
}

/** The Dockerfile's text from the context (Docker's openAt + readAndParseDockerfile checks). */
export async function readDockerfile(dir: string, name: string): Promise<{ name: string; text: string }> {
  const read = async (n: string) => readFile(await resolveInScope(dir, n), 'utf8');
  let text: string;
  try {
    text = await read(name);
  } catch (err) {
    if (!hasErrno(err, 'ENOENT') && !hasErrno(err, 'EISDIR') && !hasErrno(err, 'ENOTDIR')) throw err;
    if (name === DEFAULT_DOCKERFILE) {
      try { return { name: 'dockerfile', text: await readNonEmpty('dockerfile', await read('dockerfile')) }; } catch (e) {
        if (!hasErrno(e, 'ENOENT')) throw e;
      }
    }
    throw new NotFound(`Cannot locate specified Dockerfile: ${name}`, { cause: err });
  }
  return { name, text: await readNonEmpty(name, text) };
}

async function readNonEmpty(name: string, text: string): Promise<string> {
  if (text.length === 0) throw new InvalidArgument(`the Dockerfile (${name}) cannot be empty`);
  return text;
}

/** Docker's removeDockerfile: `.dockerignore` and the Dockerfile leave the context when `.dockerignore` excludes them. */
export async function removeIgnoredBuildFiles(dir: string, dockerfile: string): Promise<void> {
  let patterns: string[];
  try { patterns = readIgnoreFile(await readFile(join(dir, '.dockerignore'), 'utf8')); } catch (err) {
    if (hasErrno(err, 'ENOENT')) return;
    throw err;
  }
  let pm: PatternMatcher;
  try { pm = new PatternMatcher(patterns); } catch (err) {
    throw new InvalidArgument(`failed to read .dockerignore: ${(err as Error).message}`, { cause: err });
  }
  for (const f of ['.dockerignore', dockerfile]) {
    if (!pm.matches(f)) continue;
    const path = await resolveInScope(dir, f);
    if ((await stat(path).catch(() => undefined))?.isFile()) await rm(path, { force: true });
  }
}
