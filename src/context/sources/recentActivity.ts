// Lines the user recently edited (with a little around them, so the model sees what the edit belongs to) and
// looked at, weighted by age (activity.ts keeps the ranges).
import type { RecentActivity } from '../activity';
import type { FileEntry, FileStore } from '../fileStore';
import { linesOf } from '../fileStore';
import { identifierTokens, type ContextCandidate } from '../ranking';
import { newStatistics, PRIORS, type ContextSource, type Gathering } from './source';

const MAX_ACTIVITY_RANGES = 12;
const MAX_RANGE_LINES = 40;
/** Lines added above and below an edited range. */
const EDIT_MARGIN_LINES = 3;

export interface RecentActivitySourceOptions {
  store: FileStore;
  activity: RecentActivity;
  /** The activity's clock (ms): ages are measured on it. */
  now: () => number;
}

export class RecentActivitySource implements ContextSource {
  readonly id = 'recent-activity';
  readonly statistics = newStatistics();

  constructor(private readonly options: RecentActivitySourceOptions) {}

  async collect(g: Gathering): Promise<void> {
    const { store, activity, now } = this.options;
    const t = now();
    const edits = activity.recentEdits(t).slice(0, MAX_ACTIVITY_RANGES);
    const views = activity.recentViews(t).slice(0, MAX_ACTIVITY_RANGES);
    await Promise.all([
      ...edits.map(async r => {
        const file = await store.load(r.relativePath, g.open, g.signal);
        const c = file && rangeCandidate(file, { startLine: r.startLine - EDIT_MARGIN_LINES, endLine: r.endLine + EDIT_MARGIN_LINES, source: 'recent-edit', prior: PRIORS.recentEdit * r.weight });
        if (c) g.offer(c);
      }),
      ...views.map(async r => {
        const file = await store.load(r.relativePath, g.open, g.signal);
        const c = file && rangeCandidate(file, { startLine: r.startLine, endLine: r.endLine, source: 'recent-view', prior: PRIORS.recentView * r.weight });
        if (c) g.offer(c);
      }),
    ]);
  }
}

interface ActivityRangeWanted {
  startLine: number;
  endLine: number;
  source: 'recent-edit' | 'recent-view';
  prior: number;
}

/** The lines of a range (clamped to the file and to MAX_RANGE_LINES) as a candidate; none when blank. */
function rangeCandidate(file: FileEntry, { startLine: start, endLine: end, source, prior }: ActivityRangeWanted): ContextCandidate | undefined {
  const lines = linesOf(file);
  const s = Math.max(0, Math.min(start, lines.length - 1));
  const e = Math.min(lines.length - 1, Math.max(s, end), s + MAX_RANGE_LINES - 1);
  const content = lines.slice(s, e + 1).join('\n');
  if (!content.trim()) return undefined;
  return { relativePath: file.relativePath, source, startLine: s, endLine: e, content, prior, tokens: identifierTokens(content), needsOverlap: source === 'recent-view' };
}
