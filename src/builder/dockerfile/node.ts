import type { Node } from './types';

/** A parse tree node with buildkit's zero values for everything not given. */
export function newNode(init: Partial<Node> = {}): Node {
  return {
    value: '', children: [], heredocs: [], json: false, original: '', flags: [],
    startLine: 0, endLine: 0, prevComment: [], ...init,
  };
}

/** Links values into a `next` chain (the first node is returned; undefined when none). */
export function chain(values: string[]): Node | undefined {
  let head: Node | undefined;
  for (let i = values.length - 1; i >= 0; i--) head = newNode({ value: values[i], next: head });
  return head;
}

/** The argument words of an instruction node (buildkit's nodeArgs): an ONBUILD's trigger
 * contributes its keyword and its own arguments. */
export function nodeArgs(node: Node): string[] {
  const out: string[] = [];
  for (let n = node.next; n; n = n.next) {
    if (n.children.length === 0) out.push(n.value);
    else if (n.children.length === 1) out.push(n.children[0].value, ...nodeArgs(n.children[0]));
  }
  return out;
}
