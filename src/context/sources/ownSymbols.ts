// The current file's own definitions outside the prompt's prefix/suffix window, when the window cuts the file
// and the code around the cursor names them.
import type { FileStore } from '../fileStore';
import { definitionTokens } from '../fileStore';
import type { Definition, FileIndex } from '../syntaxIndex';
import { newStatistics, PRIORS, type ContextSource, type Gathering } from './source';

export class OwnSymbolsSource implements ContextSource {
  readonly id = 'own-symbols';
  readonly statistics = newStatistics();
  // An index's definitions by the names they define or belong to, built once per index: a long file has thousands
  // of definitions, the code around the cursor a few dozen names.
  private readonly byName = new WeakMap<FileIndex, Map<string, Definition[]>>();

  constructor(private readonly store: FileStore) {}

  async collect(g: Gathering): Promise<void> {
    const { doc, current } = g;
    if (!current || (!doc.prefixTruncated && !doc.suffixTruncated)) return;
    const index = await this.store.currentIndex(current, g.deadline);
    if (!index) return;
    const winStart = doc.position.line - (doc.prefix.split('\n').length - 1);
    const winEnd = doc.position.line + (doc.suffix.split('\n').length - 1);
    const named = this.definitionsByName(index);
    // Only what the code around the cursor names: in a long file, the rest is noise (and costs a score each).
    const wanted = new Set<Definition>();
    for (const t of g.queryTokens) for (const d of named.get(t) ?? []) wanted.add(d);
    // In file order: offers stay the same whatever order the query's names come in.
    const inOrder = [...wanted].sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
    for (const d of inOrder) {
      if (d.endLine >= winStart && d.startLine <= winEnd) continue;
      g.offer({
        relativePath: current.relativePath, source: 'same-file', startLine: d.startLine, endLine: d.endLine,
        content: d.text, prior: PRIORS.sameFile, tokens: definitionTokens(d),
      });
    }
  }

  private definitionsByName(index: FileIndex): Map<string, Definition[]> {
    let named = this.byName.get(index);
    if (!named) {
      named = new Map();
      for (const d of index.definitions) {
        for (const n of d.owner === undefined ? d.names : [...d.names, d.owner]) {
          const list = named.get(n);
          if (list) list.push(d); else named.set(n, [d]);
        }
      }
      this.byName.set(index, named);
    }
    return named;
  }
}
