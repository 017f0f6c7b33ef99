/** What every instruction parser gets from its parse tree node (buildkit's parseRequest). */
import type { Heredoc, Node } from '../types';
import { nodeArgs } from '../node';
import { Flags } from './flags';

export interface ParseRequest {
  /** The keyword as written. */
  command: string;
  args: string[];
  heredocs: Heredoc[];
  json: boolean;
  flags: Flags;
  original: string;
  line: number;
  endLine: number;
}

export function requestFromNode(node: Node): ParseRequest {
  return {
    command: node.value,
    args: nodeArgs(node),
    heredocs: node.heredocs,
    json: node.json,
    flags: new Flags(node.flags),
    original: node.original,
    line: node.startLine,
    endLine: node.endLine,
  };
}

/** The fields every instruction carries. */
export const base = (req: ParseRequest) => ({ line: req.line, endLine: req.endLine, original: req.original.trim() });

/** CMD/ENTRYPOINT/RUN/SHELL arguments: exec form as is, shell form joined into one string. */
export function commandLine(req: ParseRequest): string[] {
  if (req.args.length === 0) return [];
  return req.json ? req.args : [req.args.join(' ')];
}

export const atLeastOne = (cmd: string) => `${cmd} requires at least one argument`;
export const exactlyOne = (cmd: string) => `${cmd} requires exactly one argument`;
