// The current file's own definitions outside the prompt's prefix/suffix window, when the window cuts the file
// and the code around the cursor names them.
import type { FileStore } from '../fileStore';
import { definitionTokens } from '../fileStore';
import { newStatistics, PRIORS, type ContextSource, type Gathering } from './source';

export class OwnSymbolsSource implements ContextSource {
  readonly id = 'own-symbols';
  readonly statistics = newStatistics();

  constructor(private readonly store: FileStore) {}

  async collect(g: Gathering): Promise<void> {
    const { doc, current } = g;
    if (!current || (!doc.prefixTruncated && !doc.suffixTruncated)) return;
    const index = await this.store.currentIndex(current, g.deadline);
    if (!index) return;
    const winStart = doc.position.line - (doc.prefix.split('\n').length - 1);
    const winEnd = doc.position.line + (doc.suffix.split('\n').length - 1);
    for (const d of index.definitions) {
      if (d.endLine >= winStart && d.startLine <= winEnd) continue;
      // Only what the code around the cursor names: in a long file, the rest is noise (and costs a score each).
      if (!d.names.some(n => g.queryTokens.has(n)) && !(d.owner && g.queryTokens.has(d.owner))) continue;
      g.offer({
        relativePath: current.relativePath, source: 'same-file', startLine: d.startLine, endLine: d.endLine,
        content: d.text, prior: PRIORS.sameFile, tokens: definitionTokens(current, d),
      });
    }
  }
}
