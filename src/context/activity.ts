// What the user recently edited and looked at, as line ranges per file. Pure bookkeeping (no vscode, no timers):
// the VS Code adapter feeds it from editor events, tests feed it directly with their own clock.

export interface ActivityRange {
  /** Workspace-relative path (the same identity DocumentSnapshot.relativePath uses). */
  relativePath: string;
  /** 0-based, inclusive. */
  startLine: number;
  endLine: number;
  /** When it last happened (ms, from the tracker's clock). */
  at: number;
}

/** An edit or a view as the adapter reports it; `at` defaults to the tracker's clock. */
export type ActivityEvent = Omit<ActivityRange, 'at'> & { at?: number };

export interface RecentActivityOptions {
  now?: () => number;
  /** Entries kept per kind; the oldest go first. */
  maxEdits?: number;
  maxViews?: number;
  /** An edit's weight halves every this many ms. */
  editHalfLifeMs?: number;
  viewHalfLifeMs?: number;
  /** Ranges wider than this many lines are cut around their most recent part. */
  maxRangeLines?: number;
}

/** Nearby ranges closer than this many lines merge into one (typing a function line by line is one edit). */
const MERGE_GAP = 3;

export class RecentActivity {
  private readonly now: () => number;
  private readonly edits: ActivityRange[] = [];
  private readonly views: ActivityRange[] = [];
  private readonly opts: Required<Omit<RecentActivityOptions, 'now'>>;
  /** Bumped on every change: lets callers cache work derived from the activity. */
  generation = 0;

  constructor(options: RecentActivityOptions = {}) {
    this.now = options.now ?? Date.now;
    this.opts = {
      maxEdits: options.maxEdits ?? 24,
      maxViews: options.maxViews ?? 16,
      editHalfLifeMs: options.editHalfLifeMs ?? 5 * 60_000,
      viewHalfLifeMs: options.viewHalfLifeMs ?? 2 * 60_000,
      maxRangeLines: options.maxRangeLines ?? 40,
    };
  }

  /**
   * An edit of lines startLine..endLine (after the edit). `lineDelta` is how many lines it added (negative:
   * removed): ranges recorded further down the file move with their text.
   */
  recordEdit({ relativePath, startLine, endLine, at = this.now(), lineDelta = 0 }: ActivityEvent & { lineDelta?: number }): void {
    if (lineDelta) this.shift(relativePath, startLine, lineDelta);
    this.record(this.edits, this.opts.maxEdits, { relativePath, startLine, endLine, at });
  }

  private shift(relativePath: string, afterLine: number, delta: number): void {
    for (const r of [...this.edits, ...this.views]) {
      if (r.relativePath !== relativePath || r.startLine <= afterLine) continue;
      r.startLine = Math.max(afterLine + 1, r.startLine + delta);
      r.endLine = Math.max(r.startLine, r.endLine + delta);
    }
  }

  recordView({ relativePath, startLine, endLine, at = this.now() }: ActivityEvent): void {
    this.record(this.views, this.opts.maxViews, { relativePath, startLine, endLine, at });
  }

  /** A file was closed, deleted or became excluded: forget it. */
  forget(relativePath: string): void {
    for (const list of [this.edits, this.views]) {
      for (let i = list.length - 1; i >= 0; i--) if (list[i].relativePath === relativePath) list.splice(i, 1);
    }
    this.generation++;
  }

  /** A file was renamed: keep its history under the new name. */
  rename(from: string, to: string): void {
    for (const r of [...this.edits, ...this.views]) if (r.relativePath === from) r.relativePath = to;
    this.generation++;
  }

  /** Most recent first (ties: path, then line), each with its time-decayed weight in (0, 1]. */
  recentEdits(now = this.now()): Array<ActivityRange & { weight: number }> {
    return this.weighted(this.edits, this.opts.editHalfLifeMs, now);
  }

  recentViews(now = this.now()): Array<ActivityRange & { weight: number }> {
    return this.weighted(this.views, this.opts.viewHalfLifeMs, now);
  }

  private weighted(list: ActivityRange[], halfLife: number, now: number) {
    return list
      .map(r => ({ ...r, weight: Math.pow(0.5, Math.max(0, now - r.at) / halfLife) }))
      .sort((a, b) => b.at - a.at || a.relativePath.localeCompare(b.relativePath) || a.startLine - b.startLine);
  }

  private record(list: ActivityRange[], max: number, range: ActivityRange): void {
    if (!range.relativePath || !(range.endLine >= range.startLine) || range.startLine < 0) return;
    this.generation++;
    const near = list.find(r => r.relativePath === range.relativePath
      && range.startLine <= r.endLine + MERGE_GAP && range.endLine >= r.startLine - MERGE_GAP);
    if (near) {
      let start = Math.min(near.startLine, range.startLine);
      let end = Math.max(near.endLine, range.endLine);
      if (end - start + 1 > this.opts.maxRangeLines) {
        // Keep the window around the newest change rather than letting one range grow over the whole file.
        const half = Math.floor(this.opts.maxRangeLines / 2);
        start = Math.max(start, range.startLine - half);
        end = Math.min(end, start + this.opts.maxRangeLines - 1);
      }
      near.startLine = start;
      near.endLine = end;
      near.at = Math.max(near.at, range.at);
      return;
    }
    list.push({ ...range, endLine: Math.min(range.endLine, range.startLine + this.opts.maxRangeLines - 1) });
    if (list.length > max) {
      list.sort((a, b) => b.at - a.at);
      list.length = max;
    }
  }
}
