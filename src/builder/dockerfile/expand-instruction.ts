import { NotImplemented } from '../../errdefs';
import type { EnvLookup, ExpandOptions, Instruction } from './types';

/** A copy of instr with variables expanded in exactly the fields Docker expands (types.ts). */
export function expandInstruction(instr: Instruction, lookup: EnvLookup, opts?: ExpandOptions): Instruction {
  throw new NotImplemented(`expandInstruction: not yet (${instr.kind} ${typeof lookup} ${opts?.escapeToken})`);
}
