/** COPY and ADD: sources (paths, URLs, heredocs) and a destination, with their flags. */
import { InvalidArgument } from '../../../errdefs';
import type { AddInstruction, CopyInstruction, SourceContent } from '../types';
import { type ParseRequest, base } from './request';
import { chompHeredocContent, parseHeredoc } from '../heredoc';

function sourcesAndDest(req: ParseRequest, cmd: string) {
  const dest = req.args[req.args.length - 1];
  if (parseHeredoc(dest)) throw new InvalidArgument(`${cmd} cannot accept a heredoc as a destination`);
  const bodies = new Map(req.heredocs.map((h) => [h.name, h]));
  const sources: string[] = [];
  const heredocs: SourceContent[] = [];
  for (const src of req.args.slice(0, -1)) {
    const h = parseHeredoc(src);
    if (!h) {
      sources.push(src);
      continue;
    }
    const content = bodies.get(h.name)?.content ?? '';
    heredocs.push({ path: h.name, data: h.chomp ? chompHeredocContent(content) : content, expand: h.expand });
  }
  return { sources, dest, heredocs };
}

function needsDestination(req: ParseRequest, cmd: string): void {
  if (req.args.length < 2) {
    throw new InvalidArgument(`${cmd} requires at least two arguments, but only one was provided. Destination could not be determined`);
  }
}

const optional = <K extends string>(key: K, v: string) => (v ? { [key]: v } : {}) as Partial<Record<K, string>>;

export function parseCopy(req: ParseRequest): CopyInstruction {
  needsDestination(req, 'COPY');
  const f = req.flags;
  const [chown, from, chmod] = [f.string('chown'), f.string('from'), f.string('chmod')];
  const [link, parents, exclude] = [f.bool('link'), f.bool('parents'), f.strings('exclude')];
  f.parse();
  return {
    kind: 'copy', ...sourcesAndDest(req, 'COPY'),
    ...optional('from', from()), ...optional('chown', chown()), ...optional('chmod', chmod()),
    link: link(), parents: parents(), exclude: exclude(), ...base(req),
  };
}

export function parseAdd(req: ParseRequest): AddInstruction {
  needsDestination(req, 'ADD');
  const f = req.flags;
  const [chown, chmod, checksum] = [f.string('chown'), f.string('chmod'), f.string('checksum')];
  const [link, keepGitDir, unpack, exclude] = [f.bool('link'), f.bool('keep-git-dir'), f.bool('unpack'), f.strings('exclude')];
  f.parse();
  return {
    kind: 'add', ...sourcesAndDest(req, 'ADD'),
    ...optional('chown', chown()), ...optional('chmod', chmod()), ...optional('checksum', checksum()),
    link: link(), exclude: exclude(),
    ...(f.isUsed('keep-git-dir') ? { keepGitDir: keepGitDir() } : {}),
    ...(f.isUsed('unpack') ? { unpack: unpack() } : {}),
    ...base(req),
  };
}
