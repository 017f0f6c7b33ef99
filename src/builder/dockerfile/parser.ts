import { NotImplemented } from '../../errdefs';
import type { ParseResult } from './types';

/** Parses Dockerfile text into buildkit's Node tree. */
export function parse(text: string): ParseResult {
  throw new NotImplemented(`dockerfile parser: not yet (${text.length} bytes)`);
}
