// Functions, methods and classes in a file, found with one tree-sitter query per language. "Write Tests for
// This" is offered when the cursor is on a symbol's declaration (from its first line to where its body opens).
import { Query, type Language, type Node, type Tree } from 'web-tree-sitter';
import { loadLanguage, parseText } from '../syntax/parser';
import { commandLanguage, type CommandLanguage } from './languageRules';

export type SymbolKind = 'function' | 'method' | 'class';

export interface CodeSymbol {
  name: string;
  kind: SymbolKind;
  /** Class (or impl type, Go receiver type) a method belongs to. */
  container?: string;
  /** Offsets of the whole declaration (decorators and annotations included). */
  start: number;
  end: number;
  /** Offsets of the declaration head: from the start to where the body begins. */
  headEnd: number;
  text: string;
  /** Exported / public, when the language says so (undefined when it has no such notion). */
  exported?: boolean;
}

// @symbol captures the declaration, @name its name; the pattern's capture suffix gives the kind.
const QUERIES: Record<CommandLanguage, string> = {
  python: `
    (function_definition name: (identifier) @name) @function
    (class_definition name: (identifier) @name) @class
  `,
  javascript: `
    (function_declaration name: (identifier) @name) @function
    (generator_function_declaration name: (identifier) @name) @function
    (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @function
    (method_definition name: [(property_identifier) (private_property_identifier)] @name) @method
    (class_declaration name: (identifier) @name) @class
  `,
  typescript: `
    (function_declaration name: (identifier) @name) @function
    (generator_function_declaration name: (identifier) @name) @function
    (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @function
    (method_definition name: [(property_identifier) (private_property_identifier)] @name) @method
    (class_declaration name: (type_identifier) @name) @class
    (abstract_class_declaration name: (type_identifier) @name) @class
  `,
  tsx: '', // same as typescript, filled below
  go: `
    (function_declaration name: (identifier) @name) @function
    (method_declaration name: (field_identifier) @name) @method
    (type_declaration (type_spec name: (type_identifier) @name type: (struct_type))) @class
  `,
  java: `
    (method_declaration name: (identifier) @name) @method
    (constructor_declaration name: (identifier) @name) @method
    (class_declaration name: (identifier) @name) @class
    (record_declaration name: (identifier) @name) @class
    (enum_declaration name: (identifier) @name) @class
  `,
  rust: `
    (function_item name: (identifier) @name) @function
    (struct_item name: (type_identifier) @name) @class
    (enum_item name: (type_identifier) @name) @class
  `,
};
QUERIES.tsx = QUERIES.typescript;

const compiled = new Map<CommandLanguage, Query>();

function queryFor(language: CommandLanguage, grammar: Language): Query {
  let query = compiled.get(language);
  if (!query) {
    query = new Query(grammar, QUERIES[language]);
    compiled.set(language, query);
  }
  return query;
}

/** Every function, method and class in the text, in document order. */
export async function findSymbols(languageId: string, text: string): Promise<CodeSymbol[]> {
  const language = commandLanguage(languageId);
  const grammar = await loadLanguage(languageId);
  if (!language || !grammar) return [];
  const tree = await parseText(languageId, text);
  if (!tree) return [];
  try {
    return symbolsInTree(tree, language, grammar, text);
  } finally {
    tree.delete();
  }
}

/** The innermost symbol whose declaration head holds the offset (the place a code action is offered). */
export async function symbolAtDeclaration(languageId: string, text: string, offset: number): Promise<CodeSymbol | undefined> {
  return declarationAt(await findSymbols(languageId, text), offset);
}

/** Same, over symbols already found (the code action provider caches them per document version). */
export function declarationAt(symbols: CodeSymbol[], offset: number): CodeSymbol | undefined {
  let best: CodeSymbol | undefined;
  for (const s of symbols) {
    if (s.start <= offset && offset <= s.headEnd && (!best || s.start >= best.start)) best = s;
  }
  return best;
}

/** The innermost symbol that contains the offset anywhere in it. */
export async function symbolContaining(languageId: string, text: string, offset: number): Promise<CodeSymbol | undefined> {
  const symbols = await findSymbols(languageId, text);
  let best: CodeSymbol | undefined;
  for (const s of symbols) {
    if (s.start <= offset && offset <= s.end && (!best || s.start >= best.start)) best = s;
  }
  return best;
}

export function symbolsInTree(tree: Tree, language: CommandLanguage, grammar: Language, text: string): CodeSymbol[] {
  const symbols: CodeSymbol[] = [];
  for (const match of queryFor(language, grammar).matches(tree.rootNode)) {
    const decl = match.captures.find(c => c.name !== 'name');
    const name = match.captures.find(c => c.name === 'name');
    if (!decl || !name) continue;
    let node = declarationNode(decl.node, language);
    let kind = decl.name as SymbolKind;
    const container = containerName(decl.node, language);
    if (kind === 'function' && container !== undefined) kind = 'method';
    if (kind === 'method' && language === 'go') node = decl.node;
    const body = bodyOf(decl.node, language);
    symbols.push({
      name: name.node.text,
      kind,
      container: container || undefined,
      start: node.startIndex,
      end: node.endIndex,
      headEnd: !body ? node.endIndex : language === 'python' ? text.lastIndexOf(':', body.startIndex) + 1 : body.startIndex + 1,
      text: text.slice(node.startIndex, node.endIndex),
      exported: isExported(node, decl.node, language, name.node.text),
    });
  }
  return symbols.sort((a, b) => a.start - b.start);
}

/** Widen to what belongs to the declaration: decorators, `export`, the `const` of an arrow function. */
function declarationNode(node: Node, language: CommandLanguage): Node {
  let n = node;
  if (language === 'python' && n.parent?.type === 'decorated_definition') n = n.parent;
  if (n.type === 'variable_declarator' && n.parent && (n.parent.type === 'lexical_declaration' || n.parent.type === 'variable_declaration')) n = n.parent;
  if (n.type === 'type_spec' && n.parent?.type === 'type_declaration') n = n.parent;
  if (n.parent?.type === 'export_statement') n = n.parent;
  return n;
}

function bodyOf(node: Node, language: CommandLanguage): Node | null {
  if (node.type === 'variable_declarator') {
    const value = node.childForFieldName('value');
    return value?.childForFieldName('body') ?? null;
  }
  if (node.type === 'type_declaration') return node.descendantsOfType('field_declaration_list')[0] ?? null;
  if (language === 'rust' && node.type === 'struct_item') return node.childForFieldName('body');
  return node.childForFieldName('body');
}

/** Name of the class/impl/receiver type a function sits in; undefined for a top-level function. */
function containerName(node: Node, language: CommandLanguage): string | undefined {
  if (language === 'go') {
    if (node.type !== 'method_declaration') return undefined;
    const receiver = node.childForFieldName('receiver');
    return receiver?.descendantsOfType('type_identifier')[0]?.text ?? '';
  }
  if (!['function_definition', 'function_item', 'method_definition', 'method_declaration', 'constructor_declaration'].includes(node.type)) return undefined;
  for (let p = node.parent; p; p = p.parent) {
    switch (p.type) {
      case 'class_definition':
      case 'class_declaration':
      case 'abstract_class_declaration':
      case 'class':
      case 'record_declaration':
      case 'enum_declaration':
      case 'interface_declaration':
        return p.childForFieldName('name')?.text ?? '';
      case 'impl_item':
      case 'trait_item':
        return (p.childForFieldName('type') ?? p.childForFieldName('name'))?.text ?? '';
      case 'function_definition':
      case 'function_item':
      case 'function_declaration':
        return undefined; // a nested function is still a function
    }
  }
  return undefined;
}

function isExported(outer: Node, decl: Node, language: CommandLanguage, name: string): boolean | undefined {
  switch (language) {
    case 'javascript':
    case 'typescript':
    case 'tsx':
      return outer.type === 'export_statement' ? true : decl.type === 'method_definition' ? undefined : false;
    case 'go':
      return /^[A-Z]/.test(name);
    case 'rust':
      return decl.namedChildren.some(c => c?.type === 'visibility_modifier');
    case 'java':
      return /\bpublic\b/.test(decl.childForFieldName('modifiers')?.text ?? decl.namedChildren.find(c => c?.type === 'modifiers')?.text ?? '');
    case 'python':
      return !name.startsWith('_');
  }
}
