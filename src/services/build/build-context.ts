/**
 * The build context of `POST /build`. The request body (a tar, plain or gzip; a body that is
 * no tar is taken as the Dockerfile itself) is kept as one file and indexed as it streams:
 * every entry's type, mode, owner and content checksum. Steps that only need checksums (all
 * of them in a cached rebuild) never unpack it; the first step that copies files unpacks the
 * whole context once. The Dockerfile is read as Docker's remotecontext reads it: `Dockerfile`
 * falls back to `dockerfile`, a missing or empty one is refused, and it and `.dockerignore`
 * leave the context when `.dockerignore` excludes them.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { asMalformedTar, extractTar, maybeGunzip, MalformedTar, safeRelPath, UnsafeTarEntry } from '../../lib/tar';
import { peekStream } from '../../lib/peek-stream';
import { PatternMatcher, readIgnoreFile } from '../../lib/dockerignore';
import { InvalidArgument, NotFound } from '../../errdefs';
import { resolveScoped, type SourceFs, type SourceStat } from '../../builder/executor';

export const DEFAULT_DOCKERFILE = 'Dockerfile';

interface Entry extends SourceStat { hash?: string; data?: Buffer }

const dirEntry = (mode = 0o755): Entry => ({ type: 'dir', mode, uid: 0, gid: 0, size: 0 });

/** A tar's first header carries `ustar` at 257 (POSIX and GNU); an old v7 header a valid checksum. */
function looksLikeTar(head: Buffer): boolean {
  if (head.length < 512) return head.length === 0;
  if (head.subarray(257, 262).toString('latin1') === 'ustar') return true;
  const stored = parseInt(head.subarray(148, 156).toString('latin1').replace(/\0.*$/s, '').trim(), 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : head[i];
  return stored === sum;
}

const unsafe = (err: unknown) => (err instanceof UnsafeTarEntry || err instanceof MalformedTar
  ? new InvalidArgument(`failed to read the build context: ${err.message}`, { cause: err }) : err);

export class BuildContext implements SourceFs {
  private readonly entries = new Map<string, Entry>([['', dirEntry()]]);
  private readonly children = new Map<string, Set<string>>([['', new Set()]]);
  private readonly removed: string[] = [];
  private unpacked?: Promise<string>;
  /** The body as received, when it was a tar. */
  private tarFile?: string;
  /** The body, when it was a bare Dockerfile. */
  private plainFile?: { rel: string; data: Buffer };

  /** dir: the build's own directory (the tar and the unpacked context go there). */
  private constructor(private readonly dir: string) {}

  /**
   * Reads the request body into dir. Entries named in `capture` keep their content in memory
   * (the Dockerfile, .dockerignore). InvalidArgument for a tar that is malformed or climbs out.
   */
  static async receive(body: Readable, dir: string, dockerfile: string, capture: readonly string[]): Promise<BuildContext> {
    const ctx = new BuildContext(dir);
    const { head, stream } = await peekStream(await maybeGunzip(body), 512);
    if (!looksLikeTar(head)) {
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      const data = Buffer.concat(chunks);
      const rel = safeRelPath(dockerfile);
      ctx.add(rel, { type: 'file', mode: 0o644, uid: 0, gid: 0, size: data.length, hash: createHash('sha256').update(data).digest('hex') }, data);
      ctx.plainFile = { rel, data };
      return ctx;
    }
    ctx.tarFile = join(dir, 'context.tar');
    const file = createWriteStream(ctx.tarFile);
    const tee = new Transform({
      transform(chunk: Buffer, _e, cb) { if (file.write(chunk)) cb(null, chunk); else file.once('drain', () => cb(null, chunk)); },
      flush(cb) { file.end(cb); },
    });
    // A failed write fails the read; one that fails after the read was given up goes nowhere.
    file.on('error', (err) => tee.destroy(err));
    const keep = new Set(capture);
    const extract = tar.extract();
    const consume = (async () => {
      for await (const entry of extract) {
        const h = entry.header;
        const rel = safeRelPath(h.name);
        const chunks: Buffer[] = [];
        const hash = createHash('sha256');
        for await (const c of entry) { hash.update(c as Buffer); if (keep.has(rel)) chunks.push(c as Buffer); }
        if (rel === '') continue;
        const base = { mode: (h.mode ?? 0o644) & 0o7777, uid: h.uid ?? 0, gid: h.gid ?? 0 };
        if (h.type === 'file' || h.type === 'contiguous-file') {
          ctx.add(rel, { type: 'file', ...base, size: h.size ?? 0, hash: hash.digest('hex') }, keep.has(rel) ? Buffer.concat(chunks) : undefined);
        } else if (h.type === 'directory') {
          ctx.add(rel, { type: 'dir', ...base, size: 0 });
        } else if (h.type === 'symlink') {
          ctx.add(rel, { type: 'symlink', ...base, size: 0, linkname: h.linkname ?? '' });
        } else if (h.type === 'link') {
          const target = ctx.entries.get(safeRelPath(h.linkname ?? ''));
          if (target?.type !== 'file') throw new UnsafeTarEntry(`invalid tar entry ${JSON.stringify(h.name)}: hardlink target ${JSON.stringify(h.linkname)} not in the layer`);
          ctx.add(rel, { ...target });
        } else if (h.type === 'character-device' || h.type === 'block-device' || h.type === 'fifo') {
          ctx.add(rel, { type: 'other', ...base, size: 0 });
        }
      }
    })();
    try {
      await Promise.all([pipeline(stream, tee, extract), consume]);
    } catch (err) {
      extract.destroy();
      file.destroy();
      throw unsafe(asMalformedTar(err) ?? err);
    }
    return ctx;
  }

  /**
   * Records an entry; its parents become directories (as unpacking makes them). Parents are
   * slices of rel (no copies), so a deep name costs its depth in memory, not depth x length.
   */
  private add(rel: string, e: Entry, data?: Buffer): void {
    for (let i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) {
      const p = rel.slice(0, i);
      const have = this.entries.get(p);
      if (have && have.type !== 'dir') throw new UnsafeTarEntry(`invalid tar entry ${JSON.stringify(rel)}: parent ${JSON.stringify(p)} is not a directory (symlinked parents are refused)`);
      if (!have) this.setEntry(p, dirEntry());
    }
    this.setEntry(rel, e, data);
  }

  private setEntry(rel: string, e: Entry, data?: Buffer): void {
    if (data) e.data = data;
    this.entries.set(rel, e);
    const i = rel.lastIndexOf('/');
    const parent = i < 0 ? '' : rel.slice(0, i);
    let set = this.children.get(parent);
    if (!set) { set = new Set(); this.children.set(parent, set); }
    set.add(i < 0 ? rel : rel.slice(i + 1));
    if (e.type === 'dir' && !this.children.has(rel)) this.children.set(rel, new Set());
  }

  async lstat(rel: string): Promise<SourceStat | undefined> {
    return this.entries.get(rel);
  }

  async readdir(rel: string): Promise<string[]> {
    return [...(this.children.get(rel) ?? [])];
  }

  async contentHash(rel: string): Promise<string> {
    const e = this.entries.get(rel);
    if (!e?.hash) throw new NotFound(`${rel}: not a file in the build context`);
    return e.hash;
  }

  async hostPath(rel: string): Promise<string> {
    const root = await this.unpack();
    return rel ? join(root, rel) : root;
  }

  /** The context unpacked under the build's directory (once; later calls wait for the first). */
  unpack(): Promise<string> {
    this.unpacked ??= (async () => {
      const root = join(this.dir, 'context');
      await mkdir(root, { recursive: true });
      try {
        if (this.tarFile) await extractTar(createReadStream(this.tarFile), root, { whiteouts: false });
        if (this.plainFile) await writeFile(join(root, this.plainFile.rel), this.plainFile.data, { mode: 0o644 });
      } catch (err) {
        throw unsafe(err);
      }
      for (const rel of this.removed) await rm(join(root, rel), { recursive: true, force: true });
      return root;
    })();
    return this.unpacked;
  }

  /** A file's content (kept in memory when captured, else read from the unpacked context). */
  async read(rel: string): Promise<Buffer | undefined> {
    const path = await resolveScoped(this, rel);
    const e = this.entries.get(path);
    if (e?.type !== 'file') return undefined;
    return e.data ?? readFile(await this.hostPath(path));
  }

  /** Drops a file from the context (it is then neither listed nor unpacked). */
  remove(rel: string): void {
    if (!this.entries.delete(rel)) return;
    const i = rel.lastIndexOf('/');
    this.children.get(i < 0 ? '' : rel.slice(0, i))?.delete(i < 0 ? rel : rel.slice(i + 1));
    this.removed.push(rel);
  }
}

/** The Dockerfile's text from the context (Docker's openAt + readAndParseDockerfile checks). */
export async function readDockerfile(ctx: BuildContext, name: string): Promise<{ name: string; text: string }> {
  let data = await ctx.read(safeRelPath(name));
  let found = name;
  if (!data && name === DEFAULT_DOCKERFILE) {
    data = await ctx.read('dockerfile');
    found = 'dockerfile';
  }
  if (!data) throw new NotFound(`Cannot locate specified Dockerfile: ${name}`);
  if (data.length === 0) throw new InvalidArgument(`the Dockerfile (${found}) cannot be empty`);
  return { name: found, text: data.toString('utf8') };
}

/** Docker's removeDockerfile: `.dockerignore` and the Dockerfile leave the context when `.dockerignore` excludes them. */
export async function removeIgnoredBuildFiles(ctx: BuildContext, dockerfile: string): Promise<void> {
  const ignore = await ctx.read('.dockerignore');
  if (!ignore) return;
  let pm: PatternMatcher;
  try { pm = new PatternMatcher(readIgnoreFile(ignore.toString('utf8'))); } catch (err) {
    throw new InvalidArgument(`failed to read .dockerignore: ${(err as Error).message}`, { cause: err });
  }
  for (const f of ['.dockerignore', safeRelPath(dockerfile)]) {
    if (pm.matches(f) && (await ctx.lstat(f))?.type === 'file') ctx.remove(f);
  }
}
