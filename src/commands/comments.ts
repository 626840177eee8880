// Finds the comment a "Generate Function from Comment" request is about: the comment under the cursor, or the
// one the cursor sits just after. Line-comment runs count as one comment; Python docstrings written as a bare
// string statement count too. The text comes back without comment markers, with a guess at any signature
// it names ("def parse_date(s)", "function add(a, b)", "add(a, b): ...").
import type { Node, Tree } from 'web-tree-sitter';
import { parseText } from '../syntax/parser';
import { commandLanguage, rulesFor, type CommandLanguage } from './languageRules';
import { dedent, indentationAt, lineStart, positionAt } from './text';

export type CommentKind = 'line' | 'block' | 'doc' | 'docstring';

export interface SignatureHint {
  /** Function name the comment names. */
  name: string;
  /** Parameter list as written, without parentheses. */
  params: string;
  /** The signature as written in the comment ("def parse_date(s: str) -> date"). */
  text: string;
  /** True when it is written in the file's own language, so it can start the generated code verbatim. */
  explicit: boolean;
}

export interface FoundComment {
  kind: CommentKind;
  /** The comment text without markers, dedented, trimmed. */
  text: string;
  /** Offsets of the whole comment (run) in the document text. */
  start: number;
  end: number;
  startLine: number;
  endLine: number;
  /** Leading whitespace of the comment's first line: the generated function gets the same. */
  indentation: string;
  signature?: SignatureHint;
  /** The comment sits in a class (or impl) body, so the generated function is a method. */
  inClass: boolean;
  className?: string;
  /** Name of a function the comment already documents (it starts on the very next line), if any. */
  documents?: string;
}

/** At most this many line breaks between a comment's end and the cursor for "just after" to hold. */
const MAX_NEWLINES_AFTER_COMMENT = 2;

export async function findCommentAt(languageId: string, text: string, offset: number): Promise<FoundComment | undefined> {
  const language = commandLanguage(languageId);
  if (!language) return undefined;
  const tree = await parseText(languageId, text);
  if (!tree) return undefined;
  try {
    return findCommentInTree(tree, language, text, offset);
  } finally {
    tree.delete();
  }
}

export function findCommentInTree(tree: Tree, language: CommandLanguage, text: string, offset: number): FoundComment | undefined {
  const rules = rulesFor(language);
  const isComment = (n: Node) => rules.comments.includes(n.type) || (language === 'python' && isDocstringStatement(n));

  const node = commentNodeNear(tree, text, offset, isComment);
  if (!node || !ownLine(text, node.startIndex)) return undefined;

  // A run of line comments on consecutive lines is one description.
  let first = node;
  let last = node;
  if (isLineComment(node, language)) {
    for (let prev = first.previousSibling; prev && isComment(prev) && adjacentLineComments(text, prev, first, language); prev = prev.previousSibling) first = prev;
    for (let next = last.nextSibling; next && isComment(next) && adjacentLineComments(text, last, next, language); next = next.nextSibling) last = next;
  }

  const start = first.startIndex;
  const end = trimmedEnd(text, last.endIndex);
  const raw = text.slice(start, end);
  const kind = commentKind(first, raw, language);
  const cleaned = cleanComment(raw, kind, language);
  if (!cleaned) return undefined;

  const container = enclosingClass(first, language, text);
  const following = last.nextNamedSibling;
  const documents =
    following && rules.functions.includes(following.type) && positionAt(text, following.startIndex).line <= positionAt(text, end).line + 1
      ? functionName(following)
      : undefined;

  return {
    kind,
    text: cleaned,
    start,
    end,
    startLine: positionAt(text, start).line,
    endLine: positionAt(text, end).line,
    indentation: indentationAt(text, start),
    signature: detectSignature(cleaned, language),
    inClass: container !== undefined,
    className: container || undefined,
    documents,
  };
}

/** The comment node containing the cursor, or ending just before it (only whitespace in between). */
function commentNodeNear(tree: Tree, text: string, offset: number, isComment: (n: Node) => boolean): Node | undefined {
  const containing = commentAncestor(tree.rootNode.descendantForIndex(Math.max(0, Math.min(offset, text.length - 1))), isComment);
  if (containing && containing.startIndex <= offset && offset <= containing.endIndex) return containing;
  let before = offset;
  while (before > 0 && /\s/.test(text[before - 1])) before--;
  const gap = text.slice(before, offset);
  if (before === 0 || (gap.match(/\n/g)?.length ?? 0) > MAX_NEWLINES_AFTER_COMMENT) return undefined;
  return commentAncestor(tree.rootNode.descendantForIndex(before - 1), isComment);
}

function commentAncestor(node: Node | null, isComment: (n: Node) => boolean): Node | undefined {
  for (let n = node; n; n = n.parent) {
    if (isComment(n)) return n;
    // A string inside a docstring statement: climb to the statement itself.
    if (n.type === 'string' || n.type === 'string_content' || n.type === 'string_start' || n.type === 'string_end') continue;
    if (n.type === 'doc_comment' || n.type === 'outer_doc_comment_marker' || n.type === 'inner_doc_comment_marker') continue;
    return undefined;
  }
  return undefined;
}

/**
 * A Python string statement that describes code to write: a bare string, not the docstring of the function or
 * class it opens (that one already has its code).
 */
function isDocstringStatement(node: Node): boolean {
  if (node.type !== 'expression_statement' || node.namedChildCount !== 1 || node.namedChildren[0]?.type !== 'string') return false;
  const block = node.parent;
  if (block?.type === 'block' && (block.parent?.type === 'function_definition' || block.parent?.type === 'class_definition')) {
    return block.namedChildren[0]?.id !== node.id;
  }
  return true;
}

function isLineComment(node: Node, language: CommandLanguage): boolean {
  if (language === 'python') return node.type === 'comment';
  return node.text.startsWith('//');
}

function adjacentLineComments(text: string, upper: Node, lower: Node, language: CommandLanguage): boolean {
  if (!isLineComment(upper, language) || !isLineComment(lower, language) || !ownLine(text, lower.startIndex)) return false;
  const between = text.slice(trimmedEnd(text, upper.endIndex), lower.startIndex);
  return /^[ \t]*\r?\n[ \t]*$/.test(between);
}

/** True when only whitespace precedes `offset` on its line (not a trailing comment after code). */
function ownLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

/** Some grammars (Rust) include the line break in a line comment; the comment ends before it. */
function trimmedEnd(text: string, end: number): number {
  while (end > 0 && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return end;
}

function commentKind(node: Node, raw: string, language: CommandLanguage): CommentKind {
  if (language === 'python' && node.type === 'expression_statement') return 'docstring';
  if (/^(\/\*\*|\/\/\/|\/\/!)/.test(raw)) return 'doc';
  if (raw.startsWith('/*')) return 'block';
  return 'line';
}

/** Strips comment markers, JSDoc stars and quotes; dedents; trims blank edges. */
export function cleanComment(raw: string, kind: CommentKind, language: CommandLanguage): string {
  let body: string;
  if (kind === 'docstring') {
    const m = /^[rRuUbBfF]{0,2}("""|'''|"|')([\s\S]*?)\1$/.exec(raw.trim());
    body = m ? m[2] : raw;
  } else if (raw.startsWith('/*')) {
    body = raw
      .replace(/^\/\*+!?/, '')
      .replace(/\*+\/$/, '')
      .split('\n')
      .map(line => line.replace(/^[ \t]*\*(?!\/)[ \t]?/, ''))
      .join('\n');
  } else {
    const marker = language === 'python' ? /^[ \t]*#+!?[ \t]?/ : /^[ \t]*\/\/[/!]?[ \t]?/;
    body = raw.split('\n').map(line => line.replace(marker, '')).join('\n');
  }
  // The first line of a docstring or block comment often has no indentation while the rest do.
  const lines = body.split('\n');
  const head = lines[0].trim();
  const rest = dedent(lines.slice(1).join('\n'));
  const joined = lines.length > 1 ? `${head}\n${rest}` : head;
  return joined.replace(/[ \t]+$/gm, '').replace(/^\s*\n/, '').trim();
}

const SIGNATURE_PATTERNS: Record<'python' | 'js' | 'go' | 'rust' | 'java', RegExp> = {
  python: /(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)(?:\s*->\s*[^:\n]+?)?(?=\s*:|\s*$|\s*\n|[.,;`])/m,
  js: /(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>\n]*>)?\s*\(([^()]*)\)(?:\s*:\s*[^{\n]+?)?(?=\s*\{|\s*$|\s*\n|[.,;`])/m,
  go: /func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)\s*(?:\[[^\]\n]*\])?\(([^()]*)\)[^{\n`]*?(?=\s*\{|\s*$|\s*\n|[.;`])/m,
  rust: /(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+([A-Za-z_]\w*)\s*(?:<[^>\n]*>)?\s*\(([^()]*)\)(?:\s*->\s*[^{\n`]+?)?(?=\s*\{|\s*$|\s*\n|[.;`]|\s+where)/m,
  java: /(?:^|[\s`])((?:(?:public|private|protected|static|final|abstract|synchronized|default)\s+)*(?:<[^>\n]*>\s*)?(?:void|int|long|double|float|boolean|char|byte|short|[A-Z][\w.]*)(?:<[^()\n]*?>)?(?:\[\])*\s+([a-z_]\w*)\(([^()]*)\)(?:\s*throws\s+[\w.,\s]+?)?)(?=\s*\{|\s*$|\s*\n|[.;`])/m,
};

/** The same without return types, for a signature followed by prose ("function add(a, b) returns the sum"). */
const LOOSE_PATTERNS: Record<'python' | 'js' | 'go' | 'rust' | 'java', RegExp> = {
  python: /(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)/,
  js: /(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>\n]*>)?\s*\(([^()]*)\)/,
  go: /func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)\s*(?:\[[^\]\n]*\])?\(([^()]*)\)/,
  rust: /(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?fn\s+([A-Za-z_]\w*)\s*(?:<[^>\n]*>)?\s*\(([^()]*)\)/,
  java: SIGNATURE_PATTERNS.java,
};

const OWN_PATTERN: Record<CommandLanguage, keyof typeof SIGNATURE_PATTERNS> = {
  python: 'python', javascript: 'js', typescript: 'js', tsx: 'js', go: 'go', rust: 'rust', java: 'java',
};

/**
 * The signature a comment names. In the file's own syntax it is `explicit` (usable verbatim); written in another
 * language's syntax, or as a bare "name(params)" opening the comment, only the name and parameters are kept.
 */
export function detectSignature(comment: string, language: CommandLanguage): SignatureHint | undefined {
  const own = OWN_PATTERN[language];
  const ownMatch = SIGNATURE_PATTERNS[own].exec(comment) ?? LOOSE_PATTERNS[own].exec(comment);
  if (ownMatch) {
    if (own === 'java') return { name: ownMatch[2], params: ownMatch[3].trim(), text: ownMatch[1].trim(), explicit: true };
    return { name: ownMatch[1], params: ownMatch[2].trim(), text: ownMatch[0].trim(), explicit: true };
  }
  for (const [key, pattern] of Object.entries(SIGNATURE_PATTERNS)) {
    if (key === own || key === 'java') continue;
    const m = pattern.exec(comment) ?? LOOSE_PATTERNS[key as keyof typeof LOOSE_PATTERNS].exec(comment);
    if (m) return { name: m[1], params: m[2].trim(), text: m[0].trim(), explicit: false };
  }
  // "add(a, b): returns the sum" or "`add(a, b)` returns ..." at the very start.
  const bare = /^`?([A-Za-z_$][\w$]*)\(([^()\n]*)\)`?(?=[\s:.,-]|$)/.exec(comment);
  if (bare) return { name: bare[1], params: bare[2].trim(), text: `${bare[1]}(${bare[2]})`, explicit: false };
  return undefined;
}

/** The class a node sits in (its name, or '' for an anonymous class), undefined at top level or in a function. */
function enclosingClass(node: Node, language: CommandLanguage, text: string): string | undefined {
  if (language === 'python') return pythonEnclosingClass(text, node.startIndex);
  if (language === 'go') return undefined;
  const rules = rulesFor(language);
  const body = node.parent;
  if (!body || !rules.classBodies.includes(body.type)) return undefined;
  const owner = body.parent;
  if (!owner) return undefined;
  if (language === 'rust') {
    if (owner.type !== 'impl_item' && owner.type !== 'trait_item') return undefined;
    return (owner.childForFieldName('type') ?? owner.childForFieldName('name'))?.text ?? '';
  }
  return owner.childForFieldName('name')?.text ?? '';
}

/**
 * Python comments after a class's last statement are often attached to the module by the grammar, so the
 * indentation decides: the nearest less-indented code line above is the container.
 */
function pythonEnclosingClass(text: string, offset: number): string | undefined {
  const indent = indentationAt(text, offset);
  if (!indent) return undefined;
  const lines = text.slice(0, lineStart(text, offset)).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const lineIndent = /^[ \t]*/.exec(line)![0];
    if (lineIndent.length >= indent.length) continue;
    const m = /^class\s+([A-Za-z_]\w*)/.exec(trimmed);
    return m ? m[1] : undefined;
  }
  return undefined;
}

function functionName(node: Node): string | undefined {
  const target = node.type === 'decorated_definition' ? node.childForFieldName('definition') : node;
  return target?.childForFieldName('name')?.text;
}

const COMMENT_LINE_START = /^\s*(#|\/\/|\/\*|\*|"""|\'\'\'|[rRuUbB]?"""|[rRuUbB]?\'\'\')/;

/**
 * A cheap line test for the editor context menu (it runs on every cursor move, so no parse): the cursor line is a
 * comment, or it is blank and the nearest non-blank line above (within two lines) is a comment or ends one.
 * The command decides precisely with tree-sitter.
 */
export function looksLikeInOrAfterComment(lineAt: (line: number) => string, line: number): boolean {
  const current = lineAt(line);
  if (current.trim()) return COMMENT_LINE_START.test(current);
  for (let l = line - 1, seen = 0; l >= 0 && seen < 2; l--, seen++) {
    const text = lineAt(l);
    if (!text.trim()) continue;
    return COMMENT_LINE_START.test(text) || /\*\/\s*$|("""|\'\'\')\s*$/.test(text);
  }
  return false;
}
