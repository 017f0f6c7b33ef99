import { NotImplemented } from '../../errdefs';
import type { Node } from './types';

/** buildkit's Node.Dump(): the s-expression form the parser test files hold. */
export function dumpNode(node: Node): string {
  throw new NotImplemented(`dumpNode: not yet (${node.value})`);
}
