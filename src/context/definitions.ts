// What a file defines at top level (and, in Java, the members of its top-level types), read from a tree-sitter
// tree: names, line range, and the text sent as context (whole when short, an outline when long).
import type { Node } from 'web-tree-sitter';
import type { Definition, ImportFamily } from './syntaxIndex';

/** Longest definition sent whole; longer ones are outlined. */
export const MAX_DEFINITION_LINES = 40;

const DEFINITION_TYPES: Record<ImportFamily | 'other', Set<string>> = {
  ts: new Set(['function_declaration', 'generator_function_declaration', 'class_declaration', 'abstract_class_declaration',
    'interface_declaration', 'type_alias_declaration', 'enum_declaration', 'lexical_declaration', 'variable_declaration',
    'internal_module', 'module', 'ambient_declaration', 'function_signature']),
  python: new Set(['function_definition', 'class_definition', 'decorated_definition', 'expression_statement']),
  go: new Set(['function_declaration', 'method_declaration', 'type_declaration', 'const_declaration', 'var_declaration']),
  java: new Set(['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration', 'annotation_type_declaration']),
  rust: new Set(['function_item', 'struct_item', 'enum_item', 'union_item', 'trait_item', 'type_item', 'const_item',
    'static_item', 'macro_definition', 'mod_item', 'impl_item', 'function_signature_item']),
  other: new Set(['function_definition', 'function_declaration', 'class_declaration', 'class_definition', 'struct_specifier',
    'method_declaration', 'function_item', 'class', 'method', 'module', 'interface_declaration', 'enum_specifier', 'type_definition']),
};
const COMMENT_TYPES = new Set(['comment', 'line_comment', 'block_comment', 'attribute_item', 'decorator']);
const JAVA_MEMBER_TYPES = new Set(['method_declaration', 'field_declaration', 'constructor_declaration', 'class_declaration',
  'interface_declaration', 'enum_declaration', 'record_declaration']);

export function readDefinitions(family: ImportFamily | undefined, root: Node, lines: string[]): Definition[] {
  const types = DEFINITION_TYPES[family ?? 'other'];
  const out: Definition[] = [];
  for (const top of root.namedChildren) {
    let node = top;
    let isDefault = false;
    if (node.type === 'export_statement') {
      isDefault = /^export\s+default\b/.test(node.text);
      const inner = node.childForFieldName('declaration') ?? node.childForFieldName('value');
      if (!inner) continue;
      node = inner;
    }
    if (!types.has(node.type) && !(isDefault && family === 'ts')) continue;
    if (node.type === 'mod_item' && !node.childForFieldName('body')) continue; // `mod x;` is an import, not a definition
    const names = definitionNames(family, node);
    if (!names.length && !isDefault) continue;
    const startNode = leadingComments(top);
    out.push(makeDefinition({ family, outer: top, node, startLine: startNode.startPosition.row, names, lines, isDefault, owner: ownerOf(family, node) }));
    // Java: members of top-level types are reachable by `import static` and by name.
    if (family === 'java') {
      const body = node.childForFieldName('body');
      const owner = names[0];
      for (const member of body?.namedChildren ?? []) {
        if (!JAVA_MEMBER_TYPES.has(member.type)) continue;
        const memberNames = member.type === 'field_declaration'
          ? member.childrenForFieldName('declarator').map(d => d.childForFieldName('name')?.text ?? '').filter(Boolean)
          : [member.childForFieldName('name')?.text ?? ''].filter(Boolean);
        if (memberNames.length) out.push(makeDefinition({ family, outer: member, node: member, startLine: leadingComments(member).startPosition.row, names: memberNames, lines, owner }));
      }
    }
  }
  return out;
}

function leadingComments(node: Node): Node {
  let first = node;
  for (let prev = node.previousNamedSibling; prev && COMMENT_TYPES.has(prev.type) && prev.endPosition.row >= first.startPosition.row - 1; prev = prev.previousNamedSibling) {
    first = prev;
  }
  return first;
}

function definitionNames(family: ImportFamily | undefined, node: Node): string[] {
  const name = node.childForFieldName('name');
  switch (node.type) {
    case 'lexical_declaration': case 'variable_declaration':
      return node.namedChildren.filter(c => c.type === 'variable_declarator').map(c => c.childForFieldName('name')?.text ?? '').filter(n => /^[\w$]+$/.test(n));
    case 'decorated_definition': { const d = node.childForFieldName('definition'); return d ? definitionNames(family, d) : []; }
    case 'expression_statement': {
      const a = node.namedChildren[0];
      const left = a?.type === 'assignment' ? a.childForFieldName('left') : undefined;
      return left?.type === 'identifier' ? [left.text] : [];
    }
    case 'type_declaration': return node.namedChildren.map(c => c.childForFieldName('name')?.text ?? '').filter(Boolean);
    case 'const_declaration': case 'var_declaration':
      if (family === 'go') return node.namedChildren.flatMap(c => c.childrenForFieldName('name').map(n => n.text));
      return name ? [name.text] : [];
    case 'impl_item': { const t = node.childForFieldName('type'); return t ? [baseTypeName(t.text)] : []; }
    case 'ambient_declaration': { const d = node.namedChildren[0]; return d ? definitionNames(family, d) : []; }
    default: return name ? [name.text] : [];
  }
}

function baseTypeName(t: string): string {
  return t.replace(/<.*$/s, '').replace(/^.*::/, '').trim();
}

function ownerOf(family: ImportFamily | undefined, node: Node): string | undefined {
  if (family === 'go' && node.type === 'method_declaration') {
    const recv = node.childForFieldName('receiver');
    const m = recv && /([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*\)\s*$/.exec(recv.text);
    return m?.[1];
  }
  if (family === 'rust' && node.type === 'impl_item') {
    const trait = node.childForFieldName('trait');
    return trait ? baseTypeName(trait.text) : undefined;
  }
  return undefined;
}

interface DefinitionParts {
  family: ImportFamily | undefined;
  /** The whole statement (an export around the declaration), whose end ends the definition. */
  outer: Node;
  /** The declaration itself. */
  node: Node;
  /** First line, leading comments included. */
  startLine: number;
  names: string[];
  /** The file's lines. */
  lines: string[];
  isDefault?: boolean;
  owner?: string;
}

function makeDefinition(parts: DefinitionParts): Definition {
  const { node, startLine, names, lines } = parts;
  const endLine = parts.outer.endPosition.row;
  const full = lines.slice(startLine, endLine + 1);
  const text = full.length <= MAX_DEFINITION_LINES ? full.join('\n') : outline({ ...parts, endLine });
  const sigLine = lines[node.startPosition.row] ?? '';
  const kind = node.type === 'decorated_definition' ? node.childForFieldName('definition')?.type ?? node.type : node.type;
  return { names, kind, owner: parts.owner, isDefault: parts.isDefault || undefined, startLine, endLine, text, signature: sigLine.trimEnd() };
}

/** Header, then one signature per member, with an elision marker where the bodies were. Never more than the cap. */
function outline({ family, node, startLine, endLine, lines }: DefinitionParts & { endLine: number }): string {
  const inner = node.type === 'decorated_definition' ? node.childForFieldName('definition') ?? node : node;
  const body = inner.childForFieldName('body');
  const keep = new Set<number>();
  const comment = family === 'python' ? '#' : '//';
  if (!body) {
    return lines.slice(startLine, startLine + MAX_DEFINITION_LINES).join('\n');
  }
  for (let l = startLine; l <= body.startPosition.row; l++) keep.add(l);
  for (const member of body.namedChildren) {
    const s = member.startPosition.row;
    const memberBody = (member.type === 'decorated_definition' ? member.childForFieldName('definition') : member)?.childForFieldName('body');
    const sigEnd = memberBody ? memberBody.startPosition.row : member.type.includes('comment') ? s - 1 : Math.min(member.endPosition.row, s + 2);
    for (let l = s; l <= sigEnd; l++) keep.add(l);
  }
  if (body.endPosition.row === endLine) keep.add(endLine);
  const out: string[] = [];
  let prev = -1;
  for (const l of [...keep].sort((a, b) => a - b)) {
    if (prev >= 0 && l > prev + 1) {
      const indent = /^\s*/.exec(lines[prev + 1] ?? '')?.[0] ?? '';
      out.push(`${indent}${comment} …`);
    }
    out.push(lines[l] ?? '');
    prev = l;
    if (out.length >= MAX_DEFINITION_LINES) break;
  }
  return out.join('\n');
}
