/** A Dockerfile to stages of typed instructions (buildkit's instructions.Parse). */
import { InvalidArgument } from '../../errdefs';
import type { ArgInstruction, Dockerfile, Instruction, Stage } from './types';
import { parse } from './parser';
import { parseInstruction } from './instructions/parse-instruction';
import { withLine } from './errors';

/** Parses a Dockerfile into stages. Throws InvalidArgument (DockerfileParseError with a line). */
export function parseDockerfile(text: string): Dockerfile {
  const result = parse(text);
  const stages: Stage[] = [];
  const metaArgs: ArgInstruction[] = [];
  for (const node of result.ast.children) {
    const instr = parseInstruction(node);
    if (instr.kind === 'from') {
      stages.push({
        ...(instr.stageName ? { name: instr.stageName } : {}), baseName: instr.image,
        ...(instr.platform ? { platform: instr.platform } : {}), commands: [], from: instr, line: instr.line,
      });
    } else if (stages.length > 0) {
      stages[stages.length - 1].commands.push(instr);
    } else if (instr.kind === 'arg') {
      metaArgs.push(instr);
    } else {
      withLine(node.startLine, () => { throw new InvalidArgument('no build stage in current context'); });
    }
  }
  return { stages, metaArgs, escapeToken: result.escapeToken, directives: result.directives, warnings: result.warnings };
}

/**
 * One instruction from its text: an ONBUILD trigger (OnbuildInstruction.expression) when a
 * child build runs it. Parsed as its own Dockerfile with the default escape token, as
 * Docker does; exactly one instruction is expected.
 */
export function parseInstructionText(text: string): Instruction {
  const { ast } = parse(text);
  if (ast.children.length !== 1) {
    throw new InvalidArgument(`expected one instruction, got ${ast.children.length}: ${text}`);
  }
  return parseInstruction(ast.children[0]);
}
