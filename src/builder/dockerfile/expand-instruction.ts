/**
 * Build-time variable expansion of an instruction, in exactly the fields Docker expands
 * (buildkit's Expand methods plus dispatch's EXPOSE, ARG and heredoc handling; see types.ts).
 */
import type { EnvLookup, ExpandOptions, Instruction, KeyValue, SourceContent } from './types';
import { lex } from './shell-lexer';
import { parseRunMount } from './instructions/run-mount';
import { withLine } from './errors';

/** A copy of instr with its variables expanded; errors carry the instruction's line. */
export function expandInstruction(instr: Instruction, lookup: EnvLookup, opts?: ExpandOptions): Instruction {
  const lexOpts = { escapeToken: opts?.escapeToken ?? '\\', skipUnsetEnv: opts?.skipUnsetEnv };
  const word = (w: string) => lex(w, lookup, lexOpts).value;
  const opt = (w: string | undefined) => (w === undefined ? undefined : word(w));
  const pairs = (kvs: KeyValue[]) => kvs.map((kv) => ({ key: word(kv.key), value: word(kv.value) }));
  /** Heredoc sources: variables only; quotes and other escapes stay as written. */
  const body = (h: SourceContent) => (h.expand
    ? { ...h, data: lex(h.data, lookup, { escapeToken: '\\', skipProcessQuotes: true }).value } : h);
  return withLine(instr.line, (): Instruction => {
    switch (instr.kind) {
      case 'from':
        return { ...instr, image: word(instr.image), ...(instr.platform ? { platform: word(instr.platform) } : {}) };
      case 'env':
      case 'label':
        return { ...instr, pairs: pairs(instr.pairs) };
      case 'arg':
        return { ...instr, args: instr.args.map((a) => ({ key: a.key, ...(a.value === undefined ? {} : { value: word(a.value) }) })) };
      case 'copy':
        return {
          ...instr, sources: instr.sources.map(word), dest: word(instr.dest), heredocs: instr.heredocs.map(body),
          ...(instr.chown ? { chown: opt(instr.chown) } : {}), ...(instr.chmod ? { chmod: opt(instr.chmod) } : {}),
        };
      case 'add':
        return {
          ...instr, sources: instr.sources.map(word), dest: word(instr.dest), heredocs: instr.heredocs.map(body),
          ...(instr.chown ? { chown: opt(instr.chown) } : {}), ...(instr.chmod ? { chmod: opt(instr.chmod) } : {}),
          ...(instr.checksum ? { checksum: opt(instr.checksum) } : {}),
        };
      case 'expose':
        return { ...instr, ports: instr.ports.flatMap((p) => lex(p, lookup, lexOpts).words) };
      case 'user':
        return { ...instr, user: word(instr.user) };
      case 'workdir':
        return { ...instr, path: word(instr.path) };
      case 'stopsignal':
        return { ...instr, signal: word(instr.signal) };
      case 'volume':
        return { ...instr, volumes: instr.volumes.map(word) };
      case 'run':
        return { ...instr, mounts: instr.mountSpecs.map((spec) => parseRunMount(spec, word)) };
      default:
        return instr;
    }
  });
}
