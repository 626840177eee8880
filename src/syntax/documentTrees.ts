// A parse tree per open document, kept in step with edits: each change is applied to the old tree with
// tree.edit() and the document is reparsed with the old tree, so tree-sitter only re-reads what changed.
// Keyed by uri; a tree is valid for one document version. Trees belong to the cache: callers must not
// delete() them and must not keep them past the next call for the same document.
import { Edit, type Point, type Tree } from 'web-tree-sitter';
import { getParser } from './parser';

/** One text change, in UTF-16 offsets of the text it applies to (VS Code: rangeOffset, rangeLength, text). */
export interface TextChange {
  offset: number;
  length: number;
  text: string;
}

interface Entry {
  languageId: string;
  version: number;
  text: string;
  tree: Tree;
}

function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

function pointAfter(start: Point, inserted: string): Point {
  const lastBreak = inserted.lastIndexOf('\n');
  if (lastBreak < 0) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i >= 0; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastBreak - 1 };
}

/** A document's text at one version (a DocumentSnapshot fits). */
export interface VersionedText {
  uri: string;
  version: number;
  languageId: string;
  text: string;
}

export class DocumentTrees {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxDocuments = 32) {}

  /**
   * The tree for this version of the document: the cached one when the version matches, else a fresh
   * parse. Undefined when the language has no grammar.
   */
  async get({ uri, version, languageId, text }: VersionedText): Promise<Tree | undefined> {
    const entry = this.entries.get(uri);
    if (entry && entry.version === version && entry.languageId === languageId && entry.text.length === text.length) {
      this.touch(uri, entry);
      return entry.tree;
    }
    const parser = await getParser(languageId);
    if (!parser) return undefined;
    const tree = parser.parse(text);
    if (!tree) return undefined;
    this.store(uri, { languageId, version, text, tree });
    return tree;
  }

  /**
   * Applies the changes that turned the cached version into `version` (in order, each relative to the text
   * after the previous ones) and reparses incrementally. Without a cached tree it parses from scratch.
   */
  async update(doc: VersionedText, changes: TextChange[]): Promise<Tree | undefined> {
    const { uri, version, languageId, text: newText } = doc;
    const entry = this.entries.get(uri);
    const parser = await getParser(languageId);
    if (!parser) {
      this.delete(uri);
      return undefined;
    }
    if (!entry || entry.languageId !== languageId) return this.get(doc);
    let text = entry.text;
    for (const change of changes) {
      const startPosition = pointAt(text, change.offset);
      const oldEndPosition = pointAt(text, change.offset + change.length);
      entry.tree.edit(
        new Edit({
          startIndex: change.offset,
          oldEndIndex: change.offset + change.length,
          newEndIndex: change.offset + change.text.length,
          startPosition,
          oldEndPosition,
          newEndPosition: pointAfter(startPosition, change.text),
        }),
      );
      text = text.slice(0, change.offset) + change.text + text.slice(change.offset + change.length);
    }
    if (text !== newText) {
      // The changes do not describe how we got here (a missed event): start over.
      this.delete(uri);
      return this.get(doc);
    }
    const tree = parser.parse(newText, entry.tree);
    entry.tree.delete();
    if (!tree) {
      this.entries.delete(uri);
      return undefined;
    }
    this.store(uri, { languageId, version, text: newText, tree });
    return tree;
  }

  delete(uri: string): void {
    this.entries.get(uri)?.tree.delete();
    this.entries.delete(uri);
  }

  dispose(): void {
    for (const entry of this.entries.values()) entry.tree.delete();
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private touch(uri: string, entry: Entry): void {
    this.entries.delete(uri);
    this.entries.set(uri, entry);
  }

  private store(uri: string, entry: Entry): void {
    const old = this.entries.get(uri);
    if (old && old.tree !== entry.tree) old.tree.delete();
    this.entries.delete(uri);
    this.entries.set(uri, entry);
    while (this.entries.size > this.maxDocuments) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
    }
  }
}
