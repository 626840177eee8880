// The context provider: asks every context source (imports, the file's own symbols, recent activity, open tabs;
// see sources/) for candidates under one time budget, then ranks them and fills the token budget (ranking.ts).
//
// Two promises it keeps:
// - Speed: files are read through the file store (fileStore.ts) with timeouts, parsed once per version/mtime, and
//   the whole gathering has a time budget on the injected clock; what arrives late only serves the next request.
// - Stability: the selection is cached per (document, line, code around the line). While the user types along a
//   line nothing in the context changes, so the prompt's leading tokens (and the server's KV cache) stay valid;
//   across lines the previous selection stays while it is nearly as good (stickiness.ts).
import { setMaxListeners } from 'events';
import { fileURLToPath } from 'url';
import { LRUCache } from 'lru-cache';
import type { DocumentContext, DocumentSnapshot } from '../document/types';
import { realClock, type Clock } from '../pipeline/clock';
import { abortError } from '../util/abort';
import { errorMessage } from '../util/errors';
import type { Logger } from '../util/log';
import { silentLogger } from '../util/log';
import type { RecentActivity } from './activity';
import { NO_DEADLINE, TimeBudget } from './budget';
import type { Exclusion } from './exclusion';
import { looksLikeSecretContent } from './exclusion';
import { FileStore, hash, type FileEntry } from './fileStore';
import type { WorkspaceFs } from './fs';
import { identifierTokens, selectSnippets, type ContextCandidate } from './ranking';
import { ImportsSource } from './sources/imports';
import { OpenTabsSource } from './sources/openTabs';
import { OwnSymbolsSource } from './sources/ownSymbols';
import { RecentActivitySource } from './sources/recentActivity';
import { collectFrom, type ContextSource, type ContextSourceId, type Gathering, type SourceStatistics } from './sources/source';
import { Stickiness } from './stickiness';
import type { ContextProvider, ContextSnippet } from './types';

export { PRIORS } from './sources/source';

export interface ContextSettings {
  enabled: boolean;
  maxContextTokens: number;
}

export interface ContextProviderOptions {
  fs: WorkspaceFs;
  /** Absolute path of the workspace folder. */
  workspaceRoot: string;
  /** The documents open in editors (tabs), the current one included or not. Called once per gathering. */
  openDocuments(): DocumentSnapshot[];
  activity: RecentActivity;
  exclusion: Exclusion;
  config(): ContextSettings;
  log?: Logger;
  /** Wall clock (ms) for activity ages and how long a file's stat is trusted. */
  now?: () => number;
  /** The engine's clock: the time budget runs on it. */
  clock?: Clock;
  /** Stop waiting for files after this long (ms) and rank what has arrived. */
  timeBudgetMs?: number;
  /** How long a stat of a file on disk is trusted (ms). */
  statTtlMs?: number;
  /** Files larger than this are not read. */
  maxFileBytes?: number;
}

export interface WorkspaceContextProvider extends ContextProvider {
  /** True for files that must not be read, sent, or completed in (path, or a file: URI). */
  isExcluded(pathOrUri: string): boolean;
  /** Forget cached files and selections (all, or one file's) — after ignore files or settings change. */
  invalidate(relativePath?: string): void;
  /**
   * Parses a document and what it imports, without a time limit, so the first request in it finds warm caches.
   * The adapter calls it when an editor becomes active. Never rejects.
   */
  warm(snapshot: DocumentSnapshot): Promise<void>;
  /** Each source's counters, by source id. */
  statistics(): Record<ContextSourceId, SourceStatistics>;
}

/** Lines around the cursor the ranking compares against (the current line itself is left out, for stability). */
const QUERY_LINES_ABOVE = 30;
const QUERY_LINES_BELOW = 10;

/** The code around the cursor without the current line: what the candidates are ranked against. */
export function queryText(doc: DocumentContext): string {
  const before = doc.prefix.slice(0, doc.prefix.length - doc.linePrefix.length).split('\n');
  before.pop(); // the empty remainder after the last newline
  const after = doc.suffix.slice(doc.lineSuffix.length).split('\n');
  after.shift(); // the rest of the current line's newline
  return [...before.slice(-QUERY_LINES_ABOVE), ...after.slice(0, QUERY_LINES_BELOW)].join('\n');
}

export function createContextProvider(options: ContextProviderOptions): WorkspaceContextProvider {
  const gatherer = new Gatherer(options);
  return {
    gather: (doc, signal) => gatherer.gather(doc, signal),
    isExcluded: pathOrUri => gatherer.isExcluded(pathOrUri),
    warm: snapshot => gatherer.warm(snapshot),
    invalidate: relativePath => gatherer.invalidate(relativePath),
    statistics: () => gatherer.statistics(),
  };
}

/** What one request asks for, worked out before anything is read. */
interface GatherRequest {
  doc: DocumentContext;
  settings: ContextSettings;
  /** Open documents keyed by workspace-relative path; excluded and out-of-workspace ones are never looked at. */
  open: Map<string, DocumentSnapshot>;
  currentPath?: string;
  queryTokens: Set<string>;
  /** The selection cache's key: document, line, code around the line, budget and open tabs. */
  key: string;
  /** What must not have changed for the previous selection to stay: budget and open tabs. */
  settingsKey: string;
}

/** How one fresh gathering runs: its budget, its signals and the log of when each step was done. */
interface GatherRun {
  budget: TimeBudget;
  /** Fires when the request is cancelled; every read of the gathering listens to it. */
  innerSignal: AbortSignal;
  /** The request's own signal. */
  signal: AbortSignal;
  phases: string[];
}

class Gatherer {
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly timeBudgetMs: number;
  private readonly exclusion: MemoizedExclusion;
  private readonly store: FileStore;
  private readonly imports: ImportsSource;
  /** In the order they start: open tabs first (synchronous, from memory), then those that read files. */
  private readonly sources: ContextSource[];
  private readonly selections = new LRUCache<string, ContextSnippet[]>({ max: 64 });
  private readonly stickiness = new Stickiness();
  private readonly relativePaths = new Map<string, string | undefined>();

  constructor(private readonly options: ContextProviderOptions) {
    this.log = options.log ?? silentLogger;
    this.clock = options.clock ?? realClock;
    this.timeBudgetMs = options.timeBudgetMs ?? 60;
    const now = options.now ?? Date.now;
    const statTtlMs = options.statTtlMs ?? 2000;
    this.exclusion = new MemoizedExclusion(options.exclusion);
    const store = new FileStore({
      fs: options.fs, exclusion: this.exclusion, log: this.log, now, statTtlMs, maxFileBytes: options.maxFileBytes ?? 1_000_000,
    });
    this.store = store;
    this.imports = new ImportsSource({ store, exclusion: this.exclusion, now, statTtlMs, log: this.log });
    this.sources = [
      new OpenTabsSource(store),
      this.imports,
      new OwnSymbolsSource(store),
      new RecentActivitySource({ store, activity: options.activity, now }),
    ];
  }

  async gather(doc: DocumentContext, signal: AbortSignal): Promise<ContextSnippet[]> {
    const budget = new TimeBudget(this.clock, this.timeBudgetMs);
    if (signal.aborted) throw abortError();
    const request = this.requestFor(doc);
    if (!request) return [];
    const cached = this.selections.get(request.key);
    if (cached) return cached;
    // One inner signal for all the reads of this gathering (they each listen to it; Node warns past 10).
    const inner = new AbortController();
    setMaxListeners(1000, inner.signal);
    const forward = () => inner.abort();
    signal.addEventListener('abort', forward, { once: true });
    try {
      return await this.gatherFresh(request, { budget, innerSignal: inner.signal, signal, phases: [] });
    } finally {
      signal.removeEventListener('abort', forward);
      // Reads still running after the answer are left to finish: they fill the caches for the next request.
    }
  }

  isExcluded(pathOrUri: string): boolean {
    if (/^[a-z][a-z0-9+.-]+:/i.test(pathOrUri) && !pathOrUri.startsWith('file:') && !/^[a-z]:[\\/]/i.test(pathOrUri)) {
      // untitled:, vscode-notebook-cell: … : only the name can tell.
      return this.exclusion.isExcluded(pathOrUri.replace(/^[a-z][a-z0-9+.-]+:/i, ''));
    }
    return this.exclusion.isExcluded(pathOrUri.startsWith('file:') ? fileURLToPath(pathOrUri) : pathOrUri);
  }

  async warm(snapshot: DocumentSnapshot): Promise<void> {
    try {
      const settings = this.options.config();
      const rel = this.relative(snapshot.uri.startsWith('file:') ? snapshot.uri : snapshot.relativePath);
      if (!settings.enabled || !rel || this.isExcluded(rel)) return;
      const open = new Map([[rel, { ...snapshot, relativePath: rel }]]);
      const signal = new AbortController().signal;
      const current = await this.store.load(rel, open, signal);
      if (!current) return;
      const doc = { uri: snapshot.uri, relativePath: rel, languageId: snapshot.languageId, version: snapshot.version,
        position: { line: 0, character: 0 }, offset: 0, prefix: '', suffix: '', linePrefix: '', lineSuffix: '',
        prefixTruncated: false, suffixTruncated: false, indent: '' };
      const gathering = { doc, current, currentPath: rel, open, queryTokens: new Set<string>(), signal, deadline: NO_DEADLINE, offer: () => {} };
      await collectFrom(this.imports, gathering, () => 0);
    } catch (err) {
      this.log.debug(`Infill context: warming ${snapshot.relativePath} failed: ${errorMessage(err)}`);
    }
  }

  invalidate(relativePath?: string): void {
    this.selections.clear();
    this.stickiness.clear();
    this.relativePaths.clear();
    this.exclusion.clear();
    this.store.invalidate(relativePath);
    for (const source of this.sources) source.invalidate?.(relativePath);
  }

  statistics(): Record<ContextSourceId, SourceStatistics> {
    return Object.fromEntries(this.sources.map(s => [s.id, { ...s.statistics }])) as Record<ContextSourceId, SourceStatistics>;
  }

  /** The request's inputs, or undefined when it gets no context (disabled, no budget, excluded file). */
  private requestFor(doc: DocumentContext): GatherRequest | undefined {
    const settings = this.options.config();
    if (!settings.enabled || settings.maxContextTokens <= 0) return undefined;
    if (this.isExcluded(doc.uri) || this.isExcluded(doc.relativePath)) return undefined;
    const open = new Map<string, DocumentSnapshot>();
    for (const d of this.options.openDocuments()) {
      const rel = this.relative(d.uri.startsWith('file:') ? d.uri : d.relativePath);
      if (rel && !this.exclusion.isExcluded(rel)) open.set(rel, { ...d, relativePath: rel });
    }
    const currentPath = doc.uri.startsWith('untitled:') ? undefined : this.relative(doc.uri.startsWith('file:') ? doc.uri : doc.relativePath);
    const query = queryText(doc);
    const openKey = [...open.keys()].sort().join('|');
    return {
      doc, settings, open, currentPath, queryTokens: identifierTokens(query),
      key: [doc.uri, doc.position.line, hash(query), settings.maxContextTokens, openKey].join('\0'),
      settingsKey: `${settings.maxContextTokens}\0${openKey}`,
    };
  }

  /** The steps of a gathering the selection cache could not answer. */
  private async gatherFresh(request: GatherRequest, run: GatherRun): Promise<ContextSnippet[]> {
    const { doc, settings, currentPath } = request;
    const { budget, signal, phases } = run;
    // 1. The current file. One holding a credential gets no context either: nothing about it should travel.
    const current = currentPath ? await this.store.load(currentPath, request.open, run.innerSignal) : undefined;
    phases.push(`current ${budget.elapsedMs().toFixed(1)}`);
    if (current === undefined && currentPath && this.store.holdsSecret(currentPath)) return [];
    // 2. Every source offers candidates until the time budget runs out.
    const { candidates, timedOut } = await this.collect(request, current, run);
    if (signal.aborted) throw abortError();
    // 3. Rank and fill the token budget; files holding credentials were refused when read, and this second
    //    look at the few chosen texts costs nothing.
    const selected = selectSnippets({
      candidates,
      queryTokens: request.queryTokens,
      maxTokens: settings.maxContextTokens,
      languageId: doc.languageId,
      promptText: doc.prefix + doc.suffix,
      currentFile: currentPath
        ? { relativePath: currentPath, startLine: doc.position.line - (doc.prefix.split('\n').length - 1), endLine: doc.position.line + (doc.suffix.split('\n').length - 1) }
        : undefined,
    }).filter(x => !looksLikeSecretContent(x.content));
    // 4. Stickiness across lines.
    const snippets = this.stickiness.choose({ doc, settingsKey: request.settingsKey, next: selected, candidates, queryTokens: request.queryTokens });
    // 5. A selection cut short by the time budget is not kept: the next request (with warm caches) does better.
    if (!timedOut) {
      this.stickiness.remember(doc, request.settingsKey, snippets);
      this.selections.set(request.key, snippets);
    }
    this.log.debug(`Infill context: ${snippets.length} snippets from ${candidates.length} candidates in ${budget.elapsedMs().toFixed(1)} ms${timedOut ? ' (time budget reached)' : ''} [done at ms: ${phases.join(', ')}]`);
    return snippets;
  }

  /** Runs every source side by side; the candidates are those offered before the budget ran out. */
  private async collect(
    request: GatherRequest, current: FileEntry | undefined,
    run: GatherRun,
  ): Promise<{ candidates: ContextCandidate[]; timedOut: boolean }> {
    const offered: ContextCandidate[] = [];
    const g: Gathering = {
      doc: request.doc, current, currentPath: request.currentPath, open: request.open, queryTokens: request.queryTokens,
      signal: run.innerSignal, deadline: run.budget, offer: c => offered.push(c),
    };
    const collect = (source: ContextSource) => collectFrom(source, g, () => run.budget.elapsedMs())
      .then(doneAt => { run.phases.push(`${source.id} ${doneAt.toFixed(1)}`); });
    const timedOut = await run.budget.race(() => Promise.all(this.sources.map(collect)).then(() => {}, err => {
      if (!run.signal.aborted) this.log.warn(`Infill context: gathering failed: ${errorMessage(err)}`);
    }), run.signal);
    // A copy: late arrivals after the deadline must not change what is ranked now.
    return { candidates: offered.slice(), timedOut };
  }

  /** Workspace-relative path of a path or file: URI; undefined outside the workspace or for untitled documents. */
  private relative(p: string): string | undefined {
    if (!p || p.startsWith('untitled:')) return undefined;
    // Every request asks for each open document's path: the same few dozen answers.
    if (this.relativePaths.has(p)) return this.relativePaths.get(p);
    const filePath = p.startsWith('file:') ? fileURLToPath(p) : p;
    const rel = this.exclusion.relative(filePath) || undefined;
    if (this.relativePaths.size > 10_000) this.relativePaths.clear();
    this.relativePaths.set(p, rel);
    return rel;
  }
}

/**
 * Exclusion answers memoised per path: import resolution asks about the same few thousand paths over and over.
 * Cleared when ignore files or settings change (invalidate).
 */
class MemoizedExclusion implements Exclusion {
  private readonly memo = new Map<string, boolean>();

  constructor(private readonly inner: Exclusion) {}

  isExcluded(p: string): boolean {
    let v = this.memo.get(p);
    if (v === undefined) {
      v = this.inner.isExcluded(p);
      if (this.memo.size > 50_000) this.memo.clear();
      this.memo.set(p, v);
    }
    return v;
  }

  reason(p: string) { return this.inner.reason(p); }

  relative(p: string) { return this.inner.relative(p); }

  clear(): void {
    this.memo.clear();
  }
}
