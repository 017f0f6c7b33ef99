import type { Node } from './types';
import { goQuote } from './go-quote';

/** buildkit's Node.Dump(): the s-expression form the parser test files hold. */
export function dumpNode(node: Node): string {
  let s = node.value.toLowerCase();
  if (node.flags.length > 0) s += ` [${node.flags.map(goQuote).join(' ')}]`;
  for (const child of node.children) s += `(${dumpNode(child)})\n`;
  for (let n = node.next; n; n = n.next) s += ' ' + (n.children.length > 0 ? dumpNode(n) : goQuote(n.value));
  return s.trim();
}
