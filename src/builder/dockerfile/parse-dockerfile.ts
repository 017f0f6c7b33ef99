import { NotImplemented } from '../../errdefs';
import type { Dockerfile, Instruction } from './types';

/** Parses a Dockerfile into stages of typed instructions. Throws InvalidArgument. */
export function parseDockerfile(text: string): Dockerfile {
  throw new NotImplemented(`parseDockerfile: not yet (${text.length} bytes)`);
}

/** Parses one instruction's text (an ONBUILD trigger), with the given escape token. */
export function parseInstructionText(text: string, escapeToken = '\\'): Instruction {
  throw new NotImplemented(`parseInstructionText: not yet (${text} ${escapeToken})`);
}
