/** One logical instruction line to a parse tree node (buildkit's newNodeFromLine). */
import type { Node } from './types';
import { newNode } from './node';
import { splitCommand } from './split-command';
import * as p from './line-parsers';

type Dispatch = (rest: string, escapeToken: string) => p.Parsed;

/** ONBUILD's argument: the trigger instruction as a child node. */
const parseSubCommand: Dispatch = (rest, esc) =>
  rest === '' ? { json: false } : { next: newNode({ children: [nodeFromLine(rest, esc, [])] }), json: false };

const DISPATCH: Record<string, Dispatch> = {
  add: p.parseMaybeJSONToList,
  arg: p.parseNameOrNameVal,
  cmd: p.parseMaybeJSON,
  copy: p.parseMaybeJSONToList,
  entrypoint: p.parseMaybeJSON,
  env: p.parseEnv,
  expose: p.parseStringsWhitespaceDelimited,
  from: p.parseStringsWhitespaceDelimited,
  healthcheck: p.parseHealthConfig,
  label: p.parseLabel,
  maintainer: p.parseString,
  onbuild: parseSubCommand,
  run: p.parseMaybeJSON,
  shell: p.parseMaybeJSON,
  stopsignal: p.parseString,
  user: p.parseString,
  volume: p.parseMaybeJSONToList,
  workdir: p.parseString,
};

/** The node of one logical line; unknown keywords parse (as buildkit) and fail later. */
export function nodeFromLine(line: string, escapeToken: string, comments: string[]): Node {
  const { cmd, flags, args } = splitCommand(line, escapeToken);
  const key = cmd.toLowerCase();
  const fn = Object.hasOwn(DISPATCH, key) ? DISPATCH[key] : p.parseIgnore; // not Object.prototype's `constructor`
  const { next, json } = fn(args, escapeToken);
  return newNode({ value: cmd, original: line, flags, next, json, prevComment: comments });
}
