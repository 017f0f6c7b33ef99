/**
 * COPY and ADD (Docker's dispatchCopy/dispatchAdd, with BuildKit's --chmod, --link, --parents,
 * --exclude, --checksum and heredoc sources): the sources are found and checksummed first, so
 * a cached step copies nothing; otherwise they are copied into a layer over the stage's image.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { AddInstruction, CopyInstruction, SourceContent } from '../dockerfile';
import { expand } from '../dockerfile';
import { InvalidArgument } from '../../errdefs';
import { PatternMatcher } from '../../lib/dockerignore';
import type { RwLayer } from './backend';
import { cloneConfig, nopCmdString } from './run-config';
import { commitStep, probe, stepKey, type StepEnv } from './step';
import { prefixError } from './errors';
import { stageLookup } from './stage-env';
import { checkDestForMany, findSources, type CopySource, type SourceRoot } from './copy/sources';
import { SourceHasher, combinedHash, dataHash } from './copy/source-hash';
import { hostSourceFs } from './copy/source-fs';
import { copySource, type Identity } from './copy/copy-files';
import { parseChmod, resolveChown } from './copy/chown';
import { downloadSource, isUrl } from './copy/url-source';

/** Docker's normalizeDest: a relative destination is under WORKDIR; a trailing `/` is kept. */
export function normalizeDest(workdir: string | undefined, dest: string): string {
  if (posix.isAbsolute(dest)) return dest;
  const joined = posix.join('/', workdir || '/', dest);
  return dest.endsWith('/') && !joined.endsWith('/') ? `${joined}/` : joined;
}

/** ARG/ENV values in an unquoted heredoc's body; quotes and backslashes stay as written. */
function expandBody(env: StepEnv, data: string): string {
  const esc = env.escapeToken;
  const guarded = data.replace(/["'\\`]/g, (c) => (c === esc || c === '"' || c === "'" ? `${esc}${c}` : c));
  return expand(guarded, stageLookup(env.state), { escapeToken: esc });
}

async function heredocSource(env: StepEnv, h: SourceContent): Promise<CopySource> {
  const data = h.expand ? expandBody(env, h.data) : h.data;
  const dir = await mkdtemp(join(env.context.scratch, 'heredoc-'));
  const name = posix.basename(h.path);
  const path = join(dir, name);
  await writeFile(path, data, { mode: 0o644 });
  return { hostPath: async () => path, name: h.path, hash: dataHash(h.path, data, 0o644), isDir: false, unpack: false, mode: 0o644, mtime: new Date(0) };
}

async function collect(env: StepEnv, i: CopyInstruction | AddInstruction, src: SourceRoot, name: string): Promise<CopySource[]> {
  const out: CopySource[] = [];
  try {
    for (const s of i.sources) {
      if (isUrl(s)) {
        if (i.kind === 'copy') throw new InvalidArgument("source can't be a URL for COPY");
        out.push(await downloadSource(s, i.dest, env.context.scratch, { checksum: i.checksum, signal: env.signal }));
      } else {
        out.push(...await findSources(src, s, i.kind === 'add' && i.unpack !== false));
      }
    }
    for (const h of i.heredocs) out.push(await heredocSource(env, h));
    if (!out.length) throw new InvalidArgument('no source files were specified');
  } catch (err) {
    throw prefixError(err, `${name} failed: `);
  }
  return out;
}

export async function dispatchCopy(env: StepEnv, i: CopyInstruction | AddInstruction): Promise<void> {
  const name = i.kind === 'add' ? 'ADD' : 'COPY';
  const { state, backend } = env;
  const from = i.kind === 'copy' ? i.from : undefined;
  let fromLayer: RwLayer | undefined;
  let src: SourceRoot = { fs: env.context.fs, isContext: true, hasher: env.context.hasher };
  try {
    if (from) {
      try {
        const img = await env.stages.resolve(from, env.stageIndex);
        fromLayer = await backend.openLayer(img.id);
      } catch (err) {
        throw prefixError(err, `invalid from flag value ${from}: `);
      }
      const fs = hostSourceFs(fromLayer.root);
      src = { fs, isContext: false, hasher: new SourceHasher(fs) };
    }
    const sources = await collect(env, i, src, name);
    checkDestForMany(sources.length, i.dest, name);
    const mode = i.chmod ? parseChmod(i.chmod) : undefined;
    const exclude = i.exclude.length ? new PatternMatcher(i.exclude) : undefined;
    const comment = `${name} ${i.chown ? `--chown=${i.chown}` : ''}${combinedHash(sources.map((s) => s.hash))} in ${i.dest} `;
    const cmd = nopCmdString(state.config, comment);
    const extra = mode !== undefined || exclude || (i.kind === 'copy' && i.parents) || (i.kind === 'add' && i.unpack !== undefined)
      ? { mode, exclude: i.exclude, parents: i.kind === 'copy' && i.parents, unpack: i.kind === 'add' ? i.unpack : undefined } : undefined;
    const key = stepKey(state, cmd, extra);
    if (probe(env, key, cmd)) return;

    const dest = normalizeDest(state.config.WorkingDir, i.dest);
    const layer = await backend.openLayer(state.imageId);
    let committed;
    try {
      // COPY --from keeps the source's owners unless --chown says otherwise; the rest is root's
      const identity: Identity | undefined = i.chown ? await resolveChown(layer.root, i.chown) : from ? undefined : { uid: 0, gid: 0 };
      try {
        for (const s of sources) {
          const parentDirs = i.kind === 'copy' && i.parents ? posix.dirname(s.name) : '.';
          const to = parentDirs === '.' ? dest : `${posix.join(dest, parentDirs)}/`;
          await copySource(layer.root, s, to, { identity, mode, exclude });
        }
      } catch (err) {
        throw prefixError(err, 'failed to copy files: ');
      }
      committed = await layer.commit();
    } finally {
      await layer.release();
    }
    await commitStep(env, { key, containerConfig: { ...cloneConfig(state.config), Cmd: cmd }, layer: committed });
  } finally {
    await fromLayer?.release();
  }
}
