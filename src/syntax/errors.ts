// Counting parse errors: the measure the post-processor uses to compare cuts of a completion.
import type { Node } from 'web-tree-sitter';

/** Number of ERROR and MISSING nodes under `node`; descends only into subtrees that contain errors. */
export function countErrors(node: Node): number {
  if (!node.hasError) return 0;
  let count = node.isError || node.isMissing ? 1 : 0;
  const children = node.children;
  for (const child of children) if (child) count += countErrors(child);
  return count;
}
