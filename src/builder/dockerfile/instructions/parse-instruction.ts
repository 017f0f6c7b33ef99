/** A parse tree node to its typed instruction (buildkit's ParseInstruction). */
import { InvalidArgument } from '../../../errdefs';
import type { Instruction, Node } from '../types';
import { type ParseRequest, requestFromNode } from './request';
import { parseArg, parseEnv, parseLabel } from './key-values';
import { parseExpose, parseMaintainer, parseStopSignal, parseUser, parseVolume, parseWorkdir } from './single-value';
import { parseCmd, parseEntrypoint, parseShell } from './command-line';
import { parseAdd, parseCopy } from './copy';
import { parseFrom } from './from';
import { parseHealthcheck } from './healthcheck';
import { parseOnbuild } from './onbuild';
import { parseRun } from './run';
import { withLine } from '../errors';

const PARSERS: Record<string, (req: ParseRequest) => Instruction> = {
  add: parseAdd, arg: parseArg, cmd: parseCmd, copy: parseCopy, entrypoint: parseEntrypoint, env: parseEnv,
  expose: parseExpose, from: parseFrom, healthcheck: parseHealthcheck, label: parseLabel, maintainer: parseMaintainer,
  onbuild: parseOnbuild, run: parseRun, shell: parseShell, stopsignal: parseStopSignal, user: parseUser,
  volume: parseVolume, workdir: parseWorkdir,
};

/** The instruction of one node; errors carry the node's first line. */
export function parseInstruction(node: Node): Instruction {
  return withLine(node.startLine, () => {
    const key = node.value.toLowerCase();
    const parser = Object.hasOwn(PARSERS, key) ? PARSERS[key] : undefined; // not Object.prototype's `constructor`
    if (!parser) throw new InvalidArgument(`unknown instruction: ${node.value.toUpperCase()}`);
    return parser(requestFromNode(node));
  });
}
