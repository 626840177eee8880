// Suggestions already computed for a cursor region, so coming back to a spot (undo, backspace, moving the
// cursor back and forth, VS Code asking again) costs no request.
import { LRUCache } from 'lru-cache';
import type { DocumentContext } from '../document/types';
import { firstLines, lastLines } from '../text/lines';

/** Lines of prefix (the cursor line included) that identify a cursor region. */
export const CACHE_PREFIX_WINDOW_LINES = 6;

export type CacheKeySource = Pick<DocumentContext, 'uri' | 'prefix' | 'suffix'>;

/**
 * The key for a cursor region: the document, the last few prefix lines, and the text right of the cursor plus
 * the next line. Lines above the cursor line are compared without trailing whitespace (editors strip and add
 * it freely and it never changes what should come next); the cursor line's prefix is kept exactly, because
 * "foo(" and "foo( " want different suggestions.
 */
export function cacheKey(doc: CacheKeySource, windowLines = CACHE_PREFIX_WINDOW_LINES): string {
  const prefixLines = lastLines(doc.prefix, windowLines);
  const cursorLine = prefixLines.pop() ?? '';
  const above = prefixLines.map(l => l.trimEnd()).join('\n');
  const [lineSuffix = '', nextLine = ''] = firstLines(doc.suffix, 2);
  // \u0001 cannot appear in source text we complete (documentBlocker refuses binary files) and joins the parts.
  return [doc.uri, above, cursorLine, lineSuffix.trim(), nextLine.trim()].join('\u0001');
}

export class CompletionCache {
  private readonly entries: LRUCache<string, string>;

  constructor(maxEntries = 500) {
    this.entries = new LRUCache<string, string>({ max: maxEntries });
  }

  get(doc: CacheKeySource): string | undefined {
    return this.entries.get(cacheKey(doc));
  }

  /** Stores a (post-processed) suggestion. Empty suggestions are stored too: "nothing to suggest here" is an answer. */
  set(doc: CacheKeySource, suggestion: string): void {
    this.entries.set(cacheKey(doc), suggestion);
  }

  has(doc: CacheKeySource): boolean {
    return this.entries.has(cacheKey(doc));
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
