// Open tabs of the current file's language group, cut into overlapping windows. A tab's windows and their
// candidates do not depend on the cursor, so they are built once per file version.
import type { FileStore } from '../fileStore';
import { linesOf } from '../fileStore';
import { slidingWindows } from '../ranking';
import { languageGroup } from '../syntaxIndex';
import { newStatistics, PRIORS, type ContextSource, type Gathering } from './source';

const MAX_OPEN_TABS = 20;

export class OpenTabsSource implements ContextSource {
  readonly id = 'open-tabs';
  readonly statistics = newStatistics();

  constructor(private readonly store: FileStore) {}

  async collect(g: Gathering): Promise<void> {
    const group = languageGroup(g.doc.languageId);
    const tabs = [...g.open.values()]
      .filter(d => d.relativePath !== g.currentPath && languageGroup(d.languageId) === group)
      .sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0))
      .slice(0, MAX_OPEN_TABS);
    for (const d of tabs) {
      const file = this.store.fromSnapshot(d.relativePath, d);
      if (file.secret) continue;
      file.tabCandidates ??= (file.windows ??= slidingWindows(linesOf(file))).map(w => (
        { relativePath: file.relativePath, source: 'open-tab', startLine: w.startLine, endLine: w.endLine, content: w.content, prior: PRIORS.openTab, tokens: w.tokens, needsOverlap: true }));
      for (const c of file.tabCandidates) g.offer(c);
    }
  }
}
