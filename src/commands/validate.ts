// Checks generated code with tree-sitter before it reaches the user's file: a generated function must be exactly
// one complete function or method and must not add parse errors to the file; generated tests must add no parse
// errors and at least one function. Trailing junk after the function (a half-started next one, a usage line)
// is trimmed rather than rejected.
import type { Node, Tree } from 'web-tree-sitter';
import { parseText } from '../syntax/parser';
import { commandLanguage, rulesFor, type CommandLanguage } from './languageRules';

export type Validation =
  | { ok: true; text: string; trimmed: boolean }
  | { ok: false; reason: string };

/** ERROR and MISSING nodes in a tree: the measure "no new parse errors" compares. */
export function countParseErrors(tree: Tree): number {
  let count = 0;
  const cursor = tree.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      if (node.isError || node.isMissing) count++;
      // Only descend where errors are: hasError is false for clean subtrees.
      if (node.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return count;
      }
    }
  } finally {
    cursor.delete();
  }
}

export async function parseErrorsIn(languageId: string, text: string): Promise<number | undefined> {
  const tree = await parseText(languageId, text);
  if (!tree) return undefined;
  try {
    return countParseErrors(tree);
  } finally {
    tree.delete();
  }
}

/** True when the node is a whole function in its own right (also `export function`, `const f = () => ...`). */
export function isFunctionNode(node: Node, language: CommandLanguage): boolean {
  const rules = rulesFor(language);
  if (rules.functions.includes(node.type)) {
    if (node.type === 'decorated_definition') return node.childForFieldName('definition')?.type === 'function_definition';
    // Go and Java accept a declaration without a body (assembly, abstract): not a finished function.
    return node.childForFieldName('body') !== null;
  }
  if (language === 'javascript' || language === 'typescript' || language === 'tsx') {
    if (node.type === 'export_statement') {
      const decl = node.childForFieldName('declaration');
      return !!decl && isFunctionNode(decl, language);
    }
    if (node.type === 'lexical_declaration' || node.type === 'variable_declaration') {
      const declarators = node.namedChildren.filter(c => c?.type === 'variable_declarator');
      return declarators.length === 1 && isFunctionValue(declarators[0]!.childForFieldName('value'));
    }
    if (node.type === 'public_field_definition' || node.type === 'field_definition') {
      return isFunctionValue(node.childForFieldName('value'));
    }
  }
  return false;
}

function isFunctionValue(value: Node | null): boolean {
  return !!value && ['arrow_function', 'function_expression', 'function', 'generator_function'].includes(value.type);
}

/**
 * Validates `generated` inserted between `before` and `after` (the rest of the file) against the file as it was
 * (`before` and `after` joined without it, usually the original text).
 */
export async function validateFunction(languageId: string, before: string, generated: string, after: string, original = before + after): Promise<Validation> {
  const language = commandLanguage(languageId);
  if (!language) return { ok: false, reason: `no syntax rules for ${languageId}` };
  if (!generated.trim()) return { ok: false, reason: 'the model returned no code' };
  const baseline = await parseErrorsIn(languageId, original);
  if (baseline === undefined) return { ok: false, reason: `no grammar for ${languageId}` };
  return checkFunction(languageId, language, before, generated, after, baseline, true);
}

async function checkFunction(
  languageId: string,
  language: CommandLanguage,
  before: string,
  generated: string,
  after: string,
  baseline: number,
  mayTrim: boolean,
): Promise<Validation> {
  const tree = await parseText(languageId, before + generated + after);
  if (!tree) return { ok: false, reason: `no grammar for ${languageId}` };
  let trimTo: number | undefined;
  try {
    const lead = generated.length - generated.trimStart().length;
    const from = before.length + lead;
    const to = before.length + generated.trimEnd().length;
    const pieces = topLevelPieces(tree.rootNode, from, to, n => isFunctionNode(n, language));
    if (!pieces) {
      // Junk after a complete function can swallow the rest of the file into an error; keep the function.
      const complete = mayTrim ? completeFunctionAt(tree.rootNode, from, to, language) : undefined;
      if (!complete) return { ok: false, reason: 'the generated code is not complete (it runs into the code after it)' };
      trimTo = complete.endIndex - before.length;
    } else {
      const verdict = judgePieces(pieces, tree, language, baseline, mayTrim);
      if (typeof verdict === 'string') return { ok: false, reason: verdict };
      if (verdict) trimTo = verdict.endIndex - before.length;
    }
  } finally {
    tree.delete();
  }
  if (trimTo !== undefined) {
    const result = await checkFunction(languageId, language, before, generated.slice(0, trimTo), after, baseline, false);
    return result.ok ? { ...result, trimmed: true } : result;
  }
  return { ok: true, text: generated.trimEnd(), trimmed: false };
}

/** A reason to reject, the function node to trim after, or undefined when the pieces are fine as they are. */
function judgePieces(pieces: Node[], tree: Tree, language: CommandLanguage, baseline: number, mayTrim: boolean): string | Node | undefined {
  const rules = rulesFor(language);
  const functions = pieces.filter(n => isFunctionNode(n, language));
  if (functions.length === 0) {
    const broken = pieces.some(n => n.isError || n.hasError);
    return broken ? 'the generated code does not parse as a function' : 'the generated code is not a function';
  }
  const first = functions[0]!;
  const beforeFunction = pieces.filter(n => n.endIndex <= first.startIndex);
  if (beforeFunction.some(n => !rules.preamble.includes(n.type))) {
    return `the generated code starts with something other than the function (${beforeFunction.find(n => !rules.preamble.includes(n.type))!.type})`;
  }
  if (first.hasError) return 'the generated function has syntax errors';
  if (functions.length > 1) return `the model wrote ${functions.length} functions instead of one`;
  const afterFunction = pieces.filter(n => n.startIndex >= first.endIndex);
  if (afterFunction.length > 0) return mayTrim ? first : 'unexpected code after the function';
  if (countParseErrors(tree) > baseline) return 'the generated function adds syntax errors to the file';
  return undefined;
}

/** A complete, error-free function starting exactly at `from` and ending before `to`. */
function completeFunctionAt(root: Node, from: number, to: number, language: CommandLanguage): Node | undefined {
  let found: Node | undefined;
  for (let n: Node | null = root.descendantForIndex(from); n && n.startIndex === from; n = n.parent) {
    if (n.endIndex <= to && !n.hasError && isFunctionNode(n, language)) found = n;
  }
  return found;
}

/**
 * The sibling nodes that make up the text between `from` and `to`: the children of the smallest node holding the
 * whole range. Undefined when one of them reaches outside the range (the code is unfinished and swallowed what
 * follows, or a bracket it opened closes in the user's code).
 */
function topLevelPieces(root: Node, from: number, to: number, isFunction: (n: Node) => boolean = () => false): Node[] | undefined {
  if (to <= from) return undefined;
  let container = root.descendantForIndex(from, to - 1);
  while (container && !(container.startIndex <= from && container.endIndex >= to)) container = container.parent;
  if (!container) return undefined;
  // The range is exactly one node (maybe wrapped in parents of the same extent): the outermost is the piece.
  if (container.startIndex === from && container.endIndex === to) {
    // Blocks and statements can share the function's extent: the outermost function node is the piece.
    const chain = [container];
    while (chain[chain.length - 1]!.parent?.parent && chain[chain.length - 1]!.parent!.startIndex === from && chain[chain.length - 1]!.parent!.endIndex === to) {
      chain.push(chain[chain.length - 1]!.parent!);
    }
    const functions = chain.filter(isFunction);
    const top = functions.length ? functions[functions.length - 1]! : chain[chain.length - 1]!;
    if (top.parent) return [top];
  }
  const pieces: Node[] = [];
  for (const child of container.children) {
    if (!child || child.endIndex <= from || child.startIndex >= to) continue;
    if (child.startIndex < from || child.endIndex > to) return undefined;
    pieces.push(child);
  }
  return pieces.length ? pieces : undefined;
}

/**
 * Generated tests: no new parse errors and at least one function. When generation stopped in the middle
 * (token limit), the text is cut back to its last complete top-level piece first.
 */
export async function validateTests(languageId: string, before: string, generated: string, after: string, original = before + after): Promise<Validation> {
  const language = commandLanguage(languageId);
  if (!language) return { ok: false, reason: `no syntax rules for ${languageId}` };
  if (!generated.trim()) return { ok: false, reason: 'the model returned no tests' };
  const baseline = await parseErrorsIn(languageId, original);
  if (baseline === undefined) return { ok: false, reason: `no grammar for ${languageId}` };
  let candidate = generated.trimEnd();
  for (let attempt = 0; attempt < 2; attempt++) {
    const tree = await parseText(languageId, before + candidate + after);
    if (!tree) return { ok: false, reason: `no grammar for ${languageId}` };
    try {
      const errors = countParseErrors(tree);
      const from = before.length + (candidate.length - candidate.trimStart().length);
      const to = before.length + candidate.length;
      const pieces = topLevelPieces(tree.rootNode, from, to, n => isFunctionNode(n, language)) ?? [];
      const hasFunction = pieces.some(n => containsFunction(n, language));
      if (errors <= baseline && hasFunction) return { ok: true, text: candidate, trimmed: candidate !== generated.trimEnd() };
      if (attempt > 0) break;
      // Keep the complete pieces before the first broken one.
      const clean = pieces.filter(n => !n.hasError && !n.isError && !n.isMissing);
      const firstBroken = pieces.find(n => n.hasError || n.isError || n.isMissing);
      const keep = firstBroken ? clean.filter(n => n.endIndex <= firstBroken.startIndex) : [];
      if (!keep.length) return { ok: false, reason: errors > baseline ? 'the generated tests do not parse' : 'the generated code holds no test function' };
      candidate = candidate.slice(0, keep[keep.length - 1]!.endIndex - before.length);
    } finally {
      tree.delete();
    }
  }
  return { ok: false, reason: 'the generated tests do not parse' };
}

function containsFunction(node: Node, language: CommandLanguage): boolean {
  if (isFunctionNode(node, language)) return true;
  // Tests often live in calls (it('...', () => {})) or classes: any function inside counts.
  const kinds = [...rulesFor(language).functions, 'arrow_function', 'function_expression', 'function'];
  return node.descendantsOfType(kinds).some(n => !!n && (isFunctionNode(n, language) || isFunctionValue(n)));
}
