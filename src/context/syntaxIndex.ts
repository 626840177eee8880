// What one file imports and what it defines at top level, read from a tree-sitter tree. Imports are found with
// tree-sitter queries per language; each match is then read into a plain ImportRef the resolver understands.
// Definitions are read in definitions.ts.
import * as path from 'path';
import { Query, type Language, type Node, type QueryMatch } from 'web-tree-sitter';
import { loadLanguage, parseText } from '../syntax/parser';
import { readDefinitions } from './definitions';

export type ImportFamily = 'ts' | 'python' | 'go' | 'java' | 'rust';

export interface ImportRef {
  family: ImportFamily;
  /** As written: './a', '..x' / 'a.b', 'example.com/m/util', 'com.ex.util.Strings', 'crate::a::B'. */
  specifier: string;
  /** Imported names (original, not aliases). 'default' for a JS default import. */
  names: string[];
  /** The file uses the import as `ns.X` (namespace / module import): wanted names come from usage. */
  namespace?: string;
  wildcard?: boolean;
  /** TS/JS `export … from`: the file passes these names on (followed one level when resolving). */
  reexport?: boolean;
  /** Java `import static`. */
  isStatic?: boolean;
}

export interface Definition {
  /** The names it binds (several for `const a = 1, b = 2`). */
  names: string[];
  kind: string;
  /** The type a method or impl block belongs to (Go receiver, Rust impl, Java class member). */
  owner?: string;
  isDefault?: boolean;
  /** 0-based inclusive, including leading doc comments. */
  startLine: number;
  endLine: number;
  /** The full text when short, else an outline (header and member signatures). */
  text: string;
  /** A one-line signature, for file summaries. */
  signature: string;
}

export interface FileIndex {
  imports: ImportRef[];
  definitions: Definition[];
  /** Go package name / Java package, when declared. */
  packageName?: string;
}

export function importFamily(languageId: string): ImportFamily | undefined {
  switch (languageId) {
    case 'typescript': case 'typescriptreact': case 'javascript': case 'javascriptreact': return 'ts';
    case 'python': return 'python';
    case 'go': return 'go';
    case 'java': return 'java';
    case 'rust': return 'rust';
    default: return undefined;
  }
}

const IMPORT_QUERIES: Record<ImportFamily, string> = {
  ts: `
    (import_statement source: (string) @source) @import
    (export_statement source: (string) @source) @import
    (call_expression function: (identifier) @fn arguments: (arguments . (string) @source) (#eq? @fn "require")) @require
    (call_expression function: (import) arguments: (arguments . (string) @source)) @require`,
  python: `
    (import_statement) @import
    (import_from_statement) @import`,
  go: `
    (package_clause (package_identifier) @package)
    (import_spec path: (_) @source) @import`,
  java: `
    (package_declaration) @package
    (import_declaration) @import`,
  rust: `
    (mod_item name: (identifier) @name) @mod
    (use_declaration argument: (_) @arg) @use`,
};

const queries = new Map<string, Query | null>();

function importQuery(languageId: string, family: ImportFamily, language: Language): Query | undefined {
  // Keyed by language id: TS and TSX are different grammars with different node symbols.
  let q = queries.get(languageId);
  if (q === undefined) {
    try { q = new Query(language, IMPORT_QUERIES[family]); } catch { q = null; }
    queries.set(languageId, q);
  }
  return q ?? undefined;
}

function unquote(s: string): string {
  return s.replace(/^[`'"]|[`'"]$/g, '');
}

/** Parses `text` and indexes it; undefined when the language has no grammar. */
export async function indexFile(languageId: string, text: string): Promise<FileIndex | undefined> {
  const family = importFamily(languageId);
  const language = await loadLanguage(languageId);
  if (!language) return undefined;
  const tree = await parseText(languageId, text);
  if (!tree) return undefined;
  try {
    const lines = text.split('\n');
    const index: FileIndex = { imports: [], definitions: [] };
    if (family) {
      const q = importQuery(languageId, family, language);
      if (q) readImports(index, family, q.matches(tree.rootNode));
    }
    index.definitions = readDefinitions(family, tree.rootNode, lines);
    return index;
  } finally {
    tree.delete();
  }
}

function readImports(index: FileIndex, family: ImportFamily, matches: QueryMatch[]): void {
  for (const m of matches) {
    const cap = (name: string) => m.captures.find(c => c.name === name)?.node;
    try {
      switch (family) {
        case 'ts': readTsImport(cap, index); break;
        case 'python': { const n = cap('import'); if (n) readPythonImport(n, index); break; }
        case 'go': {
          const pkg = cap('package');
          if (pkg) { index.packageName = pkg.text; break; }
          const spec = cap('import'), src = cap('source');
          if (!spec || !src) break;
          const specifier = unquote(src.text);
          const alias = spec.childForFieldName('name')?.text;
          if (alias === '_') break;
          index.imports.push({ family, specifier, names: [], namespace: alias && alias !== '.' ? alias : specifier.split('/').pop(), wildcard: alias === '.' });
          break;
        }
        case 'java': {
          const pkg = cap('package');
          if (pkg) { index.packageName = /package\s+([\w.]+)/.exec(pkg.text)?.[1]; break; }
          const n = cap('import');
          const mm = n && /^import\s+(static\s+)?([\w.]+?)(\s*\.\s*\*)?\s*;/.exec(n.text.replace(/\s+/g, ' ').replace(/ \./g, '.'));
          if (mm) index.imports.push({ family, specifier: mm[2], names: [], wildcard: !!mm[3], isStatic: !!mm[1] });
          break;
        }
        case 'rust': {
          const mod = cap('mod'), name = cap('name');
          if (mod && name) {
            if (!mod.childForFieldName('body')) index.imports.push({ family, specifier: `mod::${name.text}`, names: [], namespace: name.text });
            break;
          }
          const arg = cap('arg');
          if (arg) for (const p of flattenRustUse(arg, '')) {
            const wildcard = p.endsWith('::*');
            const clean = p.replace(/::\*$/, '').replace(/::self$/, '');
            index.imports.push({ family, specifier: clean, names: [], wildcard });
          }
          break;
        }
      }
    } catch {
      // One odd import must not lose the others.
    }
  }
}

/** An import, export-from or require() match, read through its captures (import, require, source). */
function readTsImport(cap: (name: string) => Node | undefined, index: FileIndex): void {
  const stmt = cap('import'), req = cap('require'), source = cap('source');
  if (!source) return;
  const specifier = unquote(source.text);
  if (req) {
    // const x = require('./x')  /  const { a, b } = require('./x')
    const decl = req.parent?.type === 'variable_declarator' ? req.parent : undefined;
    const target = decl?.childForFieldName('name');
    const names: string[] = [];
    let namespace: string | undefined;
    if (target?.type === 'identifier') namespace = target.text;
    else if (target?.type === 'object_pattern') {
      for (const p of target.namedChildren) {
        if (p.type === 'shorthand_property_identifier_pattern') names.push(p.text);
        else if (p.type === 'pair_pattern') { const k = p.childForFieldName('key'); if (k) names.push(k.text); }
      }
    }
    index.imports.push({ family: 'ts', specifier, names, namespace: namespace ?? (names.length ? undefined : '*') });
    return;
  }
  if (!stmt) return;
  const names: string[] = [];
  let namespace: string | undefined;
  let wildcard = false;
  const reexport = stmt.type === 'export_statement';
  for (const child of stmt.namedChildren) {
    if (child.type === 'import_clause') {
      for (const part of child.namedChildren) {
        if (part.type === 'identifier') names.push('default');
        else if (part.type === 'namespace_import') namespace = part.namedChildren.find(n => n.type === 'identifier')?.text;
        else if (part.type === 'named_imports') {
          for (const s of part.namedChildren) if (s.type === 'import_specifier') { const n = s.childForFieldName('name'); if (n) names.push(n.text); }
        }
      }
    } else if (child.type === 'export_clause') {
      for (const s of child.namedChildren) if (s.type === 'export_specifier') { const n = s.childForFieldName('name'); if (n) names.push(n.text); }
    } else if (child.type === 'namespace_export') {
      namespace = child.namedChildren[0]?.text;
    }
  }
  if (reexport && !names.length && !namespace) wildcard = true;
  if (!reexport && !names.length && !namespace) return; // side-effect import: nothing to look up
  index.imports.push({ family: 'ts', specifier, names, namespace, wildcard, reexport });
}

function readPythonImport(n: Node, index: FileIndex): void {
  if (n.type === 'import_statement') {
    for (const c of n.namedChildren) {
      const dotted = c.type === 'aliased_import' ? c.childForFieldName('name') : c.type === 'dotted_name' ? c : undefined;
      if (!dotted) continue;
      const alias = c.type === 'aliased_import' ? c.childForFieldName('alias')?.text : undefined;
      index.imports.push({ family: 'python', specifier: dotted.text, names: [], namespace: alias ?? dotted.text });
    }
    return;
  }
  const mod = n.childForFieldName('module_name');
  if (!mod) return;
  const names = n.childrenForFieldName('name').map(c => (c.type === 'aliased_import' ? c.childForFieldName('name')?.text : c.text) ?? '').filter(Boolean);
  const wildcard = n.namedChildren.some(c => c.type === 'wildcard_import');
  index.imports.push({ family: 'python', specifier: mod.text.replace(/\s+/g, ''), names, wildcard });
}

/** `use a::{b, c::{d, e as f}, g::*}` -> ['a::b', 'a::c::d', 'a::c::e', 'a::g::*']. */
function flattenRustUse(node: Node, prefix: string): string[] {
  switch (node.type) {
    case 'use_as_clause': { const p = node.childForFieldName('path'); return p ? flattenRustUse(p, prefix) : []; }
    case 'scoped_use_list': {
      const p = node.childForFieldName('path');
      const list = node.childForFieldName('list');
      const base = prefix + (p ? p.text.replace(/\s+/g, '') + '::' : '');
      return list ? list.namedChildren.flatMap(c => flattenRustUse(c, base)) : [];
    }
    case 'use_list': return node.namedChildren.flatMap(c => flattenRustUse(c, prefix));
    default: return [prefix + node.text.replace(/\s+/g, '')];
  }
}

/** Language id for a file path, for files we read from disk (open documents carry their own). */
export function languageForPath(filePath: string): string | undefined {
  const ext = path.extname(filePath).toLowerCase();
  return EXT_LANGUAGE[ext];
}

const EXT_LANGUAGE: Record<string, string> = {
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'typescriptreact',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascriptreact',
  '.py': 'python', '.pyi': 'python', '.go': 'go', '.java': 'java', '.rs': 'rust',
  '.c': 'c', '.h': 'c', '.cc': 'cpp', '.cpp': 'cpp', '.cxx': 'cpp', '.hpp': 'cpp', '.hh': 'cpp',
  '.cs': 'csharp', '.rb': 'ruby', '.php': 'php', '.sh': 'shellscript', '.bash': 'shellscript',
  '.json': 'json', '.jsonc': 'jsonc', '.md': 'markdown', '.txt': 'plaintext',
};

/** Languages whose files may usefully be shown to each other (a TSX tab helps a TS file). */
export function languageGroup(languageId: string): string {
  switch (languageId) {
    case 'typescript': case 'typescriptreact': case 'javascript': case 'javascriptreact': return 'js';
    case 'c': case 'cpp': return 'c';
    case 'json': case 'jsonc': return 'json';
    default: return languageId;
  }
}
