// Stickiness across lines. The snippets lead the prompt: a different selection makes the server read everything
// after the first change again, the whole prefix included (seconds for a small model on a CPU). So the previous
// selection for a document stays while it is nearly as good as the new one (see keepsPrevious).
import { LRUCache } from 'lru-cache';
import type { DocumentContext } from '../document/types';
import { identifierTokens, selectionScore, type ContextCandidate } from './ranking';
import type { ContextSnippet } from './types';

/** Share of the new selection's score an earlier selection must keep to stay in place. */
const STICKY_SHARE = 0.85;
/** Lines above the cursor whose names, found in a newly ranked snippet, make that snippet come in at once. */
const RECENT_LINES = 3;

export interface StickyChoice {
  doc: DocumentContext;
  /** What else must be equal for the previous selection to count (token budget, open tabs). */
  settingsKey: string;
  /** The selection ranked for this request. */
  next: ContextSnippet[];
  candidates: ContextCandidate[];
  queryTokens: ReadonlySet<string>;
}

export class Stickiness {
  // The last selection per document.
  private readonly last = new LRUCache<string, { settingsKey: string; snippets: ContextSnippet[] }>({ max: 64 });

  /** The previous selection for the document when it should stay, else the new one. */
  choose(c: StickyChoice): ContextSnippet[] {
    const previous = this.last.get(c.doc.uri);
    if (previous && previous.settingsKey === c.settingsKey && keepsPrevious(previous.snippets, c)) return previous.snippets;
    return c.next;
  }

  /** Records the selection a document's request ended with (not one cut short by the time budget). */
  remember(doc: DocumentContext, settingsKey: string, snippets: ContextSnippet[]): void {
    this.last.set(doc.uri, { settingsKey, snippets });
  }

  clear(): void {
    this.last.clear();
  }
}

function sameSelection(a: readonly ContextSnippet[], b: readonly ContextSnippet[]): boolean {
  return a.length === b.length && a.every((x, i) => x.relativePath === b[i].relativePath && x.startLine === b[i].startLine && x.content === b[i].content);
}

/** The last few lines above the cursor's line (what the user has most likely just written). */
function recentLines(doc: DocumentContext): string {
  const before = doc.prefix.slice(0, doc.prefix.length - doc.linePrefix.length).split('\n');
  before.pop();
  return before.slice(-RECENT_LINES).join('\n');
}

/**
 * The previous selection stays while all of it is still offered and outside the prompt's own text, it scores at
 * least STICKY_SHARE of the new one against the code around the cursor, and the new one brings nothing that
 * defines or uses a name just written above the cursor that the previous snippets do not have (code the user
 * has just written that uses another file wins at once).
 */
function keepsPrevious(previous: ContextSnippet[], { doc, next, candidates, queryTokens }: StickyChoice): boolean {
  if (sameSelection(previous, next)) return false;
  const promptText = doc.prefix + doc.suffix;
  if (previous.some(x => promptText.includes(x.content.trim()))) return false;
  const before = selectionScore(previous, candidates, queryTokens);
  if (before === undefined || before < STICKY_SHARE * (selectionScore(next, candidates, queryTokens) ?? 0)) return false;
  // Names just written that the previous snippets do not know, found in a newcomer: it comes in at once.
  const known = previous.map(x => x.content).join('\n');
  const fresh = [...identifierTokens(recentLines(doc))].filter(t => !known.includes(t));
  const isNew = (x: ContextSnippet) => !previous.some(p => p.relativePath === x.relativePath && p.startLine === x.startLine && p.content === x.content);
  return !next.some(x => isNew(x) && fresh.some(t => x.content.includes(t)));
}
