// What every context source is: an id, a collect step that offers candidates for one gathering, and its own
// statistics. The provider runs the sources side by side under one time budget and ranks what they offered
// (ranking.ts); a source never ranks, and never waits for the others.
import type { DocumentContext, DocumentSnapshot } from '../../document/types';
import type { Deadline } from '../budget';
import type { FileEntry } from '../fileStore';
import type { ContextCandidate } from '../ranking';

export type ContextSourceId = 'imports' | 'own-symbols' | 'recent-activity' | 'open-tabs';

/** Source priors, added to a [0, 1] similarity: import definitions > recent edits > own symbols > open tabs > views. */
export const PRIORS = {
  importUsedNearCursor: 0.9,
  importNamed: 0.75,
  importUsed: 0.65,
  importSummary: 0.45,
  recentEdit: 0.4,
  sameFile: 0.3,
  openTab: 0.15,
  recentView: 0.1,
} as const;

/** One request's gathering, as the sources see it. */
export interface Gathering {
  doc: DocumentContext;
  /** The file being edited, when it is a readable workspace file. */
  current?: FileEntry;
  currentPath?: string;
  /** Open documents by workspace-relative path (excluded ones left out). */
  open: Map<string, DocumentSnapshot>;
  /** Identifiers of the code around the cursor (what candidates are ranked against). */
  queryTokens: Set<string>;
  /** Fires when the request is cancelled; reads stop waiting. */
  signal: AbortSignal;
  /** Past it no new parse starts. */
  deadline: Deadline;
  /** Adds a candidate; those offered after the time budget only count in the statistics. */
  offer(candidate: ContextCandidate): void;
}

export interface SourceStatistics {
  /** Gatherings the source took part in. */
  collects: number;
  /** Candidates it offered, over all gatherings. */
  candidates: number;
  /** When its last collect finished, in ms after its gathering started (late ones included). */
  lastDoneMs?: number;
}

export interface ContextSource {
  readonly id: ContextSourceId;
  /** Offers this source's candidates for one gathering; may go on after the budget (late offers are dropped). */
  collect(g: Gathering): Promise<void>;
  readonly statistics: SourceStatistics;
  /** Forget what it derived from files: one file changed, or (no path) everything may have. */
  invalidate?(relativePath?: string): void;
}

export function newStatistics(): SourceStatistics {
  return { collects: 0, candidates: 0 };
}

/**
 * Runs one source's collect for a gathering and keeps its statistics. Resolves with when it finished (ms after the
 * gathering started, on `elapsedMs`).
 */
export async function collectFrom(source: ContextSource, g: Gathering, elapsedMs: () => number): Promise<number> {
  const stats = source.statistics;
  stats.collects++;
  await source.collect({ ...g, offer: c => { stats.candidates++; g.offer(c); } });
  stats.lastDoneMs = elapsedMs();
  return stats.lastDoneMs;
}
