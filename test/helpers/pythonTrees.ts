import type { SyntaxTree } from '../../server/src/python/syntax';

/** The nodes of a copy in document order: type, range, positions, field, id. */
export function shape(tree: SyntaxTree): string[] {
  const out: string[] = [];
  const stack = [tree.rootNode];
  while (stack.length) {
    const n = stack.pop()!;
    const s = n.startPosition;
    const e = n.endPosition;
    out.push(`${n.id} ${n.type} ${n.fieldId} ${n.startIndex}-${n.endIndex} ${s.row}:${s.column}-${e.row}:${e.column} ${n.isMissing} ${n.hasError} ${n.text.length}`);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}

