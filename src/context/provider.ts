// The context provider: gathers candidates from the current file's imports, recent edits, open tabs, viewed
// ranges and the file's own symbols, then ranks them and fills the budget (see ranking.ts).
//
// Two promises it keeps:
// - Speed: files are read through the WorkspaceFs with timeouts, parsed once per version/mtime, and the whole
//   gathering has a time budget; what arrives late only serves the next request.
// - Stability: the selection is cached per (document, line, code around the line). While the user types along a
//   line nothing in the context changes, so the prompt's leading tokens (and the server's KV cache) stay valid.
import { setMaxListeners } from 'events';
import { fileURLToPath } from 'url';
import { LRUCache } from 'lru-cache';
import type { DocumentContext, DocumentSnapshot } from '../document/types';
import type { Logger } from '../util/log';
import { silentLogger } from '../util/log';
import { abortError } from '../util/abort';
import type { ContextProvider, ContextSnippet } from './types';
import type { FileStat, WorkspaceFs } from './fs';
import type { Exclusion } from './exclusion';
import { looksLikeSecretContent } from './exclusion';
import type { RecentActivity } from './activity';
import { identifierTokens, selectionScore, selectSnippets, slidingWindows, type Candidate } from './ranking';
import { importFamily, indexFile, languageForPath, languageGroup, type Definition, type FileIndex, type ImportRef } from './syntaxIndex';
import { resolveImport, type ResolvedImport, type ResolverHost } from './resolve';
import { errorMessage } from '../util/errors';

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
  now?: () => number;
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
}

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

/** Lines around the cursor the ranking compares against (the current line itself is left out, for stability). */
const QUERY_LINES_ABOVE = 30;
const QUERY_LINES_BELOW = 10;
const MAX_OPEN_TABS = 20;
const MAX_IMPORTS = 40;
const MAX_ACTIVITY_RANGES = 12;
const MAX_RANGE_LINES = 40;

interface FileEntry {
  relativePath: string;
  stamp: string;
  languageId: string | undefined;
  text: string;
  /** Split on demand: most files are only ever searched and parsed. */
  lines?: string[];
  /** The text holds a credential (private key, token): nothing from this file is ever used. */
  secret: boolean;
  index?: Promise<FileIndex | undefined>;
  windows?: ReturnType<typeof slidingWindows>;
  /** Open-tab candidates built from the windows (cursor-independent). */
  tabCandidates?: Candidate[];
  tokens?: Set<string>;
  defTokens?: Map<Definition, Set<string>>;
}

/** Share of the new selection's score an earlier selection must keep to stay in place (see keepPrevious). */
const STICKY_SHARE = 0.85;
/** Lines above the cursor whose names, found in a newly ranked snippet, make that snippet come in at once. */
const RECENT_LINES = 3;

function sameSelection(a: readonly ContextSnippet[], b: readonly ContextSnippet[]): boolean {
  return a.length === b.length && a.every((x, i) => x.relativePath === b[i].relativePath && x.startLine === b[i].startLine && x.content === b[i].content);
}

/** The last few lines above the cursor's line (what the user has most likely just written). */
function recentLines(doc: DocumentContext): string {
  const before = doc.prefix.slice(0, doc.prefix.length - doc.linePrefix.length).split('\n');
  before.pop();
  return before.slice(-RECENT_LINES).join('\n');
}

/** FNV-1a, enough to tell two query windows apart in a cache key. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return (h >>> 0).toString(36) + ':' + text.length;
}

/** Identity of an open document's content: VS Code's version grows with every edit; version 0 (CLI) is hashed. */
function snapshotStamp(d: DocumentSnapshot): string {
  return d.version > 0 ? `v${d.version}:${d.text.length}` : `h${hash(d.text)}`;
}

/** A cheap test that `text` may define `name` (a declaration keyword before it), before paying for a parse. */
function mayDefine(text: string, name: string): boolean {
  if (name === 'default') return /\bexport\s+default\b/.test(text);
  let i = text.indexOf(name);
  while (i >= 0) {
    const before = text.slice(Math.max(0, i - 40), i);
    const after = text.charCodeAt(i + name.length);
    const wordEnd = !(after >= 48 && after <= 57) && !(after >= 65 && after <= 90) && !(after >= 97 && after <= 122) && after !== 95;
    if (wordEnd && /(?:\b(?:function\*?|class|interface|type|enum|const|let|var|def|fn|struct|trait|union|mod|func|record|namespace|module)\s+|\bfunc\s*\([^)]*\)\s*|^|\n)\s*$/.test(before)) return true;
    i = text.indexOf(name, i + name.length);
  }
  return false;
}

/** The code around the cursor without the current line: what the candidates are ranked against. */
export function queryText(doc: DocumentContext): string {
  const before = doc.prefix.slice(0, doc.prefix.length - doc.linePrefix.length).split('\n');
  before.pop(); // the empty remainder after the last newline
  const after = doc.suffix.slice(doc.lineSuffix.length).split('\n');
  after.shift(); // the rest of the current line's newline
  return [...before.slice(-QUERY_LINES_ABOVE), ...after.slice(0, QUERY_LINES_BELOW)].join('\n');
}

export function createContextProvider(options: ContextProviderOptions): WorkspaceContextProvider {
  const log = options.log ?? silentLogger;
  const now = options.now ?? Date.now;
  const { fs, activity } = options;
  // Exclusion answers are memoised per path (import resolution asks about the same few thousand paths over and
  // over); invalidate() clears them when ignore files or settings change.
  const excludedMemo = new Map<string, boolean>();
  const exclusion: Exclusion = {
    isExcluded(p) {
      let v = excludedMemo.get(p);
      if (v === undefined) {
        v = options.exclusion.isExcluded(p);
        if (excludedMemo.size > 50_000) excludedMemo.clear();
        excludedMemo.set(p, v);
      }
      return v;
    },
    reason: p => options.exclusion.reason(p),
    relative: p => options.exclusion.relative(p),
  };
  const timeBudgetMs = options.timeBudgetMs ?? 60;
  const statTtlMs = options.statTtlMs ?? 2000;
  const maxFileBytes = options.maxFileBytes ?? 1_000_000;

  // Bounded by text size (about 24 MB of UTF-16), not count: a 2,000-file project fits, a monorepo cycles.
  const files = new LRUCache<string, FileEntry>({ maxSize: 12_000_000, sizeCalculation: e => Math.max(1, e.text.length * 2) });
  type Cached<T> = { at: number; value: Promise<T>; settled?: T };
  const stats = new Map<string, Cached<FileStat | undefined>>();
  const lists = new Map<string, Cached<Map<string, FileStat['type']> | undefined>>();
  const resolutions = new Map<string, Cached<ResolvedImport[]>>();
  const selections = new LRUCache<string, ContextSnippet[]>({ max: 64 });
  // The last selection per document, for stickiness across lines (see keepPrevious).
  const lastSelection = new LRUCache<string, { settingsKey: string; snippets: ContextSnippet[] }>({ max: 64 });
  const pendingReads = new Map<string, Promise<FileEntry | undefined>>();
  /** (re-exporting file, its version, name) -> the files behind its `export *` lines that define the name. */
  const reexportTargets = new Map<string, string[]>();

  const toRelative = (p: string): string | undefined => {
    if (!p || p.startsWith('untitled:')) return undefined;
    const filePath = p.startsWith('file:') ? fileURLToPath(p) : p;
    const rel = exclusion.relative(filePath);
    return rel ? rel : undefined;
  };

  const isExcluded = (pathOrUri: string): boolean => {
    if (/^[a-z][a-z0-9+.-]+:/i.test(pathOrUri) && !pathOrUri.startsWith('file:') && !/^[a-z]:[\\/]/i.test(pathOrUri)) {
      // untitled:, vscode-notebook-cell: … : only the name can tell.
      return exclusion.isExcluded(pathOrUri.replace(/^[a-z][a-z0-9+.-]+:/i, ''));
    }
    return exclusion.isExcluded(pathOrUri.startsWith('file:') ? fileURLToPath(pathOrUri) : pathOrUri);
  };

  /**
   * A small time-to-live cache that serves a stale value while it refreshes in the background: a file whose
   * stat expired costs the request nothing, and a change on disk is seen by the next request.
   */
  function staleWhileRevalidate<T>(
    map: Map<string, { at: number; value: Promise<T>; settled?: T }>, key: string, load: () => Promise<T>, max: number, ttlFactor = 1,
  ): Promise<T> {
    // Negative answers (nothing: missing, unreadable, or too slow) are trusted for a second at most.
    const negative = (v: T | undefined) => v === undefined || (Array.isArray(v) && v.length === 0);
    const settle = (e: { at: number; value: Promise<T>; settled?: T }, v: T) => {
      e.settled = v;
      if (negative(v)) e.at = Math.min(e.at, now() - statTtlMs * ttlFactor + 1000);
      return e;
    };
    const hit = map.get(key);
    const t = now();
    if (hit) {
      if (t - hit.at < statTtlMs * ttlFactor) return hit.value;
      if (!negative(hit.settled)) {
        // A stale answer serves while the fresh one loads; a stale "nothing there" (maybe a timeout) does not.
        hit.at = t; // one refresh at a time
        const fresh = load();
        fresh.then(v => { if (map.get(key) === hit) map.set(key, settle({ at: t, value: fresh }, v)); }, () => {});
        return hit.value;
      }
    }
    const entry: { at: number; value: Promise<T>; settled?: T } = { at: t, value: load() };
    entry.value.then(v => settle(entry, v), () => {});
    map.set(key, entry);
    if (map.size > max) map.delete(map.keys().next().value!);
    return entry.value;
  }

  function statCached(rel: string, signal?: AbortSignal): Promise<FileStat | undefined> {
    return staleWhileRevalidate(stats, rel, () => fs.stat(rel, signal).catch(() => undefined), 20_000);
  }

  /** A folder's entries (name -> type), cached: import resolution asks about many names in few folders. */
  function listingOf(dir: string): Promise<Map<string, FileStat['type']> | undefined> {
    return staleWhileRevalidate(lists, dir, () => (fs.listFiles?.(dir || '.') ?? Promise.resolve(undefined))
      .then(entries => (entries ? new Map(entries.map(e => [e.name, e.type] as const)) : undefined))
      .catch(() => undefined), 5000);
  }

  async function isDirectory(dir: string): Promise<boolean> {
    const slash = dir.lastIndexOf('/');
    const parent = slash < 0 ? '' : dir.slice(0, slash);
    if (parent && !(await isDirectory(parent))) return false;
    return (await listingOf(parent))?.get(dir.slice(slash + 1)) === 'directory';
  }

  const host: ResolverHost = {
    isFile: async rel => {
      if (exclusion.isExcluded(rel)) return false;
      if (!fs.listFiles) return (await statCached(rel))?.type === 'file';
      const slash = rel.lastIndexOf('/');
      const dir = slash < 0 ? '' : rel.slice(0, slash);
      // Only list folders that exist (their parent's listing says so): `./x` probes `x/index.ts` everywhere.
      if (dir && !(await isDirectory(dir))) return false;
      const listing = await listingOf(dir);
      return listing?.get(rel.slice(slash + 1)) === 'file';
    },
    listFiles: async rel => {
      if (rel && !(await isDirectory(rel))) return undefined;
      const listing = await listingOf(rel);
      return listing ? [...listing].filter(([, t]) => t === 'file').map(([n]) => n).sort() : undefined;
    },
    readFile: async rel => (await loadFile(rel, new Map()))?.text,
  };

  function entryFor(rel: string, stamp: string, text: string, languageId: string | undefined): FileEntry {
    const cached = files.get(rel);
    if (cached && cached.stamp === stamp) return cached;
    const entry: FileEntry = { relativePath: rel, stamp, languageId, text, secret: looksLikeSecretContent(text) };
    files.set(rel, entry);
    return entry;
  }

  /** A workspace file's text (open document first, else disk), cached by version or mtime. */
  async function loadFile(rel: string, open: Map<string, DocumentSnapshot>, signal?: AbortSignal): Promise<FileEntry | undefined> {
    if (exclusion.isExcluded(rel)) return undefined;
    const doc = open.get(rel);
    // An open document is held to the same size limit as a file on disk: parsing and indexing a huge one
    // would block the extension host for seconds. (Length in UTF-16 units: a cheap lower bound of its bytes.)
    if (doc) return doc.text.length > maxFileBytes ? undefined : usable(entryFor(rel, snapshotStamp(doc), doc.text, doc.languageId));
    const st = await statCached(rel, signal);
    if (!st || st.type !== 'file' || st.size > maxFileBytes) return undefined;
    const stamp = `m${st.mtimeMs}:${st.size}`;
    const cached = files.get(rel);
    if (cached && cached.stamp === stamp) return usable(cached);
    // One read per file version at a time, not tied to the request: when a request stops waiting (its time
    // budget), the read still completes and fills the cache for the next one.
    const readKey = `${rel}\0${stamp}`;
    let reading = pendingReads.get(readKey);
    if (!reading) {
      reading = fs.readFile(rel).catch(() => undefined).then(text => {
        pendingReads.delete(readKey);
        if (text === undefined) { log.trace(`Infill context: no text for ${rel} (missing, binary, too large or too slow)`); return undefined; }
        return entryFor(rel, stamp, text, languageForPath(rel));
      });
      pendingReads.set(readKey, reading);
    }
    if (signal?.aborted) return undefined;
    const entry = await reading;
    return entry && usable(entry);
  }

  function usable(entry: FileEntry): FileEntry | undefined {
    return entry.secret ? undefined : entry;
  }

  /**
   * The file's imports and definitions. Parsing is synchronous, so a gathering passes its deadline: past it no new
   * parse starts (the deadline timer could not even fire during a burst of cached work), and the next request
   * picks up where this one stopped.
   */
  async function indexOf(entry: FileEntry, deadlineAt = Infinity): Promise<FileIndex | undefined> {
    if (!entry.index) {
      if (performance.now() > deadlineAt) return undefined;
      entry.index = entry.languageId
        ? indexFile(entry.languageId, entry.text).catch(err => {
          log.debug(`Infill context: could not parse ${entry.relativePath}: ${errorMessage(err)}`);
          return undefined;
        })
        : Promise.resolve(undefined);
    }
    return entry.index;
  }

  /** The latest finished index of each recently edited document, by path. */
  const latestIndex = new LRUCache<string, FileIndex>({ max: 32 });

  /**
   * The index of the document being edited. Its text changes with every keystroke, and a parse costs
   * milliseconds (tens on a busy machine), so an index from a few keystrokes ago is used at once while the
   * new one is parsed in the background: imports and top-level symbols rarely change between two requests.
   */
  async function currentIndexOf(entry: FileEntry, deadlineAt: number): Promise<FileIndex | undefined> {
    if (entry.index) return entry.index;
    const previous = latestIndex.get(entry.relativePath);
    if (previous) {
      setImmediate(() => {
        if (entry.index) return;
        void indexOf(entry).then(ix => { if (ix) latestIndex.set(entry.relativePath, ix); });
      });
      return previous;
    }
    const ix = await indexOf(entry, deadlineAt);
    if (ix) latestIndex.set(entry.relativePath, ix);
    return ix;
  }

  function linesOf(entry: FileEntry): string[] {
    entry.lines ??= entry.text.split('\n');
    return entry.lines;
  }

  function tokensOf(entry: FileEntry): Set<string> {
    entry.tokens ??= identifierTokens(entry.text);
    return entry.tokens;
  }

  function defTokens(entry: FileEntry, def: Definition): Set<string> {
    entry.defTokens ??= new Map();
    let t = entry.defTokens.get(def);
    if (!t) { t = identifierTokens(def.text); entry.defTokens.set(def, t); }
    return t;
  }

  function resolveCached(ref: ImportRef, from: string, packageName: string | undefined): Promise<ResolvedImport[]> {
    const key = `${from}\0${packageName ?? ''}\0${JSON.stringify(ref)}`;
    return staleWhileRevalidate(resolutions, key, () => resolveImport(ref, from, host, packageName).catch(() => []), 5000, 4);
  }

  // ---- sources ----

  interface Gathering {
    doc: DocumentContext;
    current?: FileEntry;
    currentPath?: string;
    open: Map<string, DocumentSnapshot>;
    queryTokens: Set<string>;
    candidates: Candidate[];
    signal: AbortSignal;
    /** performance.now() past which no new parse starts. */
    deadlineAt: number;
  }

  // Definitions of an index by the names an import can ask for, built once per index: a main file importing
  // fifty names from a module of a thousand definitions would otherwise scan it fifty times per request.
  const definitionsByName = new WeakMap<FileIndex, Map<string, Definition[]>>();

  function definitionsNamed(index: FileIndex, name: string, family: string | undefined): Definition[] {
    let byName = definitionsByName.get(index);
    if (!byName) {
      byName = new Map();
      const add = (n: string, d: Definition) => {
        const list = byName!.get(n);
        if (!list) byName!.set(n, [d]); else if (list[list.length - 1] !== d) list.push(d);
      };
      for (const d of index.definitions) {
        for (const n of d.names) add(n, d);
        if (d.isDefault) add('default', d);
        // A Go type's methods belong to it: importing the type brings them along.
        if (family === 'go' && d.owner !== undefined) add(d.owner, d);
      }
      definitionsByName.set(index, byName);
    }
    return byName.get(name) ?? [];
  }

  async function fromImports(g: Gathering): Promise<void> {
    if (!g.current || !g.currentPath) return;
    const index = await currentIndexOf(g.current, g.deadlineAt);
    const family = g.current.languageId ? importFamily(g.current.languageId) : undefined;
    if (!index || !family) return;
    const refs = index.imports.slice(0, MAX_IMPORTS);
    // Files of the same Go package / Java package see each other without an import.
    if (family === 'go') refs.push({ family, specifier: '.', names: [] });
    if (family === 'java' && index.packageName) refs.push({ family, specifier: index.packageName, names: [], wildcard: true });
    const used = tokensOf(g.current);
    const seen = new Set<string>();
    // An answer found after the deadline may be partial: it is not remembered.
    const timedOut = () => performance.now() > g.deadlineAt;

    const addDefinition = (file: FileEntry, def: Definition, named: boolean) => {
      const key = `${file.relativePath}:${def.startLine}`;
      if (seen.has(key)) return;
      seen.add(key);
      const nearCursor = def.names.some(n => g.queryTokens.has(n)) || (def.owner !== undefined && g.queryTokens.has(def.owner));
      const prior = nearCursor ? PRIORS.importUsedNearCursor : named ? PRIORS.importNamed : PRIORS.importUsed;
      g.candidates.push({
        relativePath: file.relativePath, source: 'import', startLine: def.startLine, endLine: def.endLine,
        content: def.text, prior, tokens: defTokens(file, def),
      });
    };

    /** True when it found a definition (or, at depth 0, added a summary). */
    const visit = async (r: ResolvedImport, depth: number): Promise<boolean> => {
      if (r.path === g.currentPath || exclusion.isExcluded(r.path)) return false;
      if (r.onlyIfUsed && !used.has(r.onlyIfUsed)) return false;
      const file = await loadFile(r.path, g.open, g.signal);
      if (!file) return false;
      // Behind `export *` most files do not define the name: a text search spares their parse.
      if (depth > 0 && !r.names.some(n => mayDefine(file.text, n))) return false;
      const idx = await indexOf(file, g.deadlineAt);
      if (!idx) return false;
      const fam = file.languageId ? importFamily(file.languageId) : undefined;
      const named = r.names.length > 0;
      const wanted = named ? r.names : [...new Set(idx.definitions.flatMap(d => d.names))].filter(n => used.has(n)).sort();
      let found = 0;
      for (const name of wanted) {
        const defs = definitionsNamed(idx, name, fam);
        for (const d of defs) addDefinition(file, d, named);
        found += defs.length;
        if (!defs.length && depth === 0) {
          // One level of re-exports: `export { X } from './x'`, `export * from`, or Python's `from .x import X`.
          // Where the name was found last time: an index file with 30 `export *` lines costs one visit, not 30.
          const memoKey = `${file.relativePath}\0${file.stamp}\0${name}`;
          const remembered = reexportTargets.get(memoKey);
          if (remembered) {
            const hits = await Promise.all(remembered.map(p => visit({ path: p, names: [name] }, depth + 1)));
            if (hits.some(Boolean)) { found++; continue; }
          }
          const via = idx.imports.filter(i => i.names.includes(name) || (i.reexport && i.wildcard)).slice(0, 64);
          const targets = (await Promise.all(via.map(ref => resolveCached(ref, file.relativePath, idx.packageName)))).flat();
          const hits = await Promise.all(targets.map(next => visit({ path: next.path, names: [name] }, depth + 1)));
          if (hits.some(Boolean)) found++;
          if (!timedOut()) {
            reexportTargets.set(memoKey, targets.filter((_, i) => hits[i]).map(t => t.path));
            if (reexportTargets.size > 5000) reexportTargets.delete(reexportTargets.keys().next().value!);
          }
        }
      }
      if (!found && depth === 0 && idx.definitions.length) {
        // Nothing named matched (a module import, `mod x;`, `from . import mod`): a summary of what it offers.
        const sigs = idx.definitions.filter(d => !d.owner).slice(0, 15).map(d => d.signature);
        const content = sigs.join('\n');
        const last = idx.definitions[Math.min(idx.definitions.length, 15) - 1];
        g.candidates.push({
          relativePath: file.relativePath, source: 'import', startLine: idx.definitions[0].startLine, endLine: last.endLine,
          content, prior: PRIORS.importSummary, tokens: identifierTokens(content),
        });
        return true;
      }
      return found > 0;
    };

    let resolved = 0;
    await Promise.all(refs.map(async ref => {
      const targets = await resolveCached(ref, g.currentPath!, index.packageName);
      resolved += targets.length;
      for (const r of targets) await visit(r, 0);
    }));
    log.trace(`Infill context: ${g.currentPath}: ${refs.length} imports, ${resolved} workspace files, ${seen.size} definitions`);
  }

  async function fromOwnSymbols(g: Gathering): Promise<void> {
    const { doc, current } = g;
    if (!current || (!doc.prefixTruncated && !doc.suffixTruncated)) return;
    const index = await currentIndexOf(current, g.deadlineAt);
    if (!index) return;
    const winStart = doc.position.line - (doc.prefix.split('\n').length - 1);
    const winEnd = doc.position.line + (doc.suffix.split('\n').length - 1);
    for (const d of index.definitions) {
      if (d.endLine >= winStart && d.startLine <= winEnd) continue;
      // Only what the code around the cursor names: in a long file, the rest is noise (and costs a score each).
      if (!d.names.some(n => g.queryTokens.has(n)) && !(d.owner && g.queryTokens.has(d.owner))) continue;
      g.candidates.push({
        relativePath: current.relativePath, source: 'same-file', startLine: d.startLine, endLine: d.endLine,
        content: d.text, prior: PRIORS.sameFile, tokens: defTokens(current, d),
      });
    }
  }

  function rangeCandidate(file: FileEntry, start: number, end: number, source: 'recent-edit' | 'recent-view', prior: number): Candidate | undefined {
    const lines = linesOf(file);
    const s = Math.max(0, Math.min(start, lines.length - 1));
    const e = Math.min(lines.length - 1, Math.max(s, end), s + MAX_RANGE_LINES - 1);
    const content = lines.slice(s, e + 1).join('\n');
    if (!content.trim()) return undefined;
    return { relativePath: file.relativePath, source, startLine: s, endLine: e, content, prior, tokens: identifierTokens(content), needsOverlap: source === 'recent-view' };
  }

  async function fromActivity(g: Gathering): Promise<void> {
    const t = now();
    const edits = activity.recentEdits(t).slice(0, MAX_ACTIVITY_RANGES);
    const views = activity.recentViews(t).slice(0, MAX_ACTIVITY_RANGES);
    await Promise.all([
      ...edits.map(async r => {
        const file = await loadFile(r.relativePath, g.open, g.signal);
        // A little context around the edited lines, so the model sees what the edit belongs to.
        const c = file && rangeCandidate(file, r.startLine - 3, r.endLine + 3, 'recent-edit', PRIORS.recentEdit * r.weight);
        if (c) g.candidates.push(c);
      }),
      ...views.map(async r => {
        const file = await loadFile(r.relativePath, g.open, g.signal);
        const c = file && rangeCandidate(file, r.startLine, r.endLine, 'recent-view', PRIORS.recentView * r.weight);
        if (c) g.candidates.push(c);
      }),
    ]);
  }

  function fromOpenTabs(g: Gathering): void {
    const group = languageGroup(g.doc.languageId);
    const tabs = [...g.open.values()]
      .filter(d => d.relativePath !== g.currentPath && languageGroup(d.languageId) === group)
      .sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0))
      .slice(0, MAX_OPEN_TABS);
    for (const d of tabs) {
      const file = entryFor(d.relativePath, snapshotStamp(d), d.text, d.languageId);
      if (file.secret) continue;
      // Built once per file version: a tab's windows and their candidates do not depend on the cursor.
      file.tabCandidates ??= (file.windows ??= slidingWindows(linesOf(file))).map(w => (
        { relativePath: file.relativePath, source: 'open-tab', startLine: w.startLine, endLine: w.endLine, content: w.content, prior: PRIORS.openTab, tokens: w.tokens, needsOverlap: true }));
      for (const c of file.tabCandidates) g.candidates.push(c);
    }
  }

  async function gather(doc: DocumentContext, signal: AbortSignal): Promise<ContextSnippet[]> {
    const started = performance.now();
    if (signal.aborted) throw abortError();
    const settings = options.config();
    if (!settings.enabled || settings.maxContextTokens <= 0) return [];
    if (isExcluded(doc.uri) || isExcluded(doc.relativePath)) return [];

    // Open documents keyed by workspace-relative path; excluded and out-of-workspace ones are never looked at.
    const open = new Map<string, DocumentSnapshot>();
    for (const d of options.openDocuments()) {
      const rel = toRelative(d.uri.startsWith('file:') ? d.uri : d.relativePath);
      if (rel && !exclusion.isExcluded(rel)) open.set(rel, { ...d, relativePath: rel });
    }
    const currentPath = doc.uri.startsWith('untitled:') ? undefined : toRelative(doc.uri.startsWith('file:') ? doc.uri : doc.relativePath);
    const query = queryText(doc);
    const key = [doc.uri, doc.position.line, hash(query), settings.maxContextTokens, [...open.keys()].sort().join('|')].join('\0');
    const cached = selections.get(key);
    if (cached) return cached;

    // One inner signal for all the reads of this gathering (they each listen to it; Node warns past 10).
    const inner = new AbortController();
    setMaxListeners(1000, inner.signal);
    const forward = () => inner.abort();
    signal.addEventListener('abort', forward, { once: true });
    try {
      return await gatherFor(doc, settings, open, currentPath, query, key, inner.signal, signal, started);
    } finally {
      signal.removeEventListener('abort', forward);
      // Reads still running after the answer are left to finish: they fill the caches for the next request.
    }
  }

  async function gatherFor(
    doc: DocumentContext, settings: ContextSettings, open: Map<string, DocumentSnapshot>, currentPath: string | undefined,
    query: string, key: string, innerSignal: AbortSignal, signal: AbortSignal, started: number,
  ): Promise<ContextSnippet[]> {
    const phases: string[] = [];
    let current: FileEntry | undefined;
    if (currentPath) current = await loadFile(currentPath, open, innerSignal);
    phases.push(`current ${(performance.now() - started).toFixed(1)}`);
    // A file holding a credential gets no context either: nothing about it should travel with a request.
    if (current === undefined && currentPath && files.get(currentPath)?.secret) return [];
    const g: Gathering = { doc, current, currentPath, open, queryTokens: identifierTokens(query), candidates: [], signal: innerSignal, deadlineAt: started + timeBudgetMs };

    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    let onAbort = () => {};
    const deadline = new Promise<void>(resolve => {
      timer = setTimeout(() => { timedOut = true; resolve(); }, timeBudgetMs);
      onAbort = () => { timedOut = true; resolve(); };
    });
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      fromOpenTabs(g);
      const timed = (name: string, p: Promise<void>) => p.then(() => { phases.push(`${name} ${(performance.now() - started).toFixed(1)}`); });
      const work = Promise.all([timed('imports', fromImports(g)), timed('own', fromOwnSymbols(g)), timed('activity', fromActivity(g))]).catch(err => {
        if (!signal.aborted) log.warn(`Infill context: gathering failed: ${errorMessage(err)}`);
      });
      await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
    if (signal.aborted) throw abortError();

    // Snapshot the list: late arrivals after the deadline must not change what we rank now.
    const candidates = g.candidates.slice();
    const selected = selectSnippets({
      candidates,
      queryTokens: g.queryTokens,
      maxTokens: settings.maxContextTokens,
      languageId: doc.languageId,
      promptText: doc.prefix + doc.suffix,
      currentFile: currentPath
        ? { relativePath: currentPath, startLine: doc.position.line - (doc.prefix.split('\n').length - 1), endLine: doc.position.line + (doc.suffix.split('\n').length - 1) }
        : undefined,
    });
    // Files holding credentials were refused when read; this second look at the few chosen texts costs nothing.
    let snippets = selected.filter(x => !looksLikeSecretContent(x.content));
    const settingsKey = `${settings.maxContextTokens}\0${[...open.keys()].sort().join('|')}`;
    const previous = lastSelection.get(doc.uri);
    if (previous && previous.settingsKey === settingsKey && keepPrevious(previous.snippets, snippets, candidates, g.queryTokens, doc)) snippets = previous.snippets;
    if (!timedOut) lastSelection.set(doc.uri, { settingsKey, snippets });
    // A selection cut short by the time budget is not kept: the next request (with warm caches) does better.
    if (!timedOut) selections.set(key, snippets);
    log.debug(`Infill context: ${snippets.length} snippets from ${candidates.length} candidates in ${(performance.now() - started).toFixed(1)} ms${timedOut ? ' (time budget reached)' : ''} [done at ms: ${phases.join(', ')}]`);
    return snippets;
  }

  /**
   * Stickiness across lines. The snippets lead the prompt: a different selection makes the server read everything
   * after the first change again, the whole prefix included (seconds for a small model on a CPU). The previous
   * selection for the document stays while all of it is still offered and outside the prompt's own text, it scores
   * at least STICKY_SHARE of the new one against the code around the cursor, and the new one brings nothing that
   * defines or uses a name just written above the cursor that the previous snippets do not have (code the user
   * has just written that uses another file wins at once).
   */
  function keepPrevious(previous: ContextSnippet[], next: ContextSnippet[], candidates: Candidate[], queryTokens: ReadonlySet<string>, doc: DocumentContext): boolean {
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

  async function warm(snapshot: DocumentSnapshot): Promise<void> {
    try {
      const settings = options.config();
      const rel = toRelative(snapshot.uri.startsWith('file:') ? snapshot.uri : snapshot.relativePath);
      if (!settings.enabled || !rel || isExcluded(rel)) return;
      const open = new Map([[rel, { ...snapshot, relativePath: rel }]]);
      const signal = new AbortController().signal;
      const current = await loadFile(rel, open, signal);
      if (!current) return;
      const doc = { uri: snapshot.uri, relativePath: rel, languageId: snapshot.languageId, version: snapshot.version,
        position: { line: 0, character: 0 }, offset: 0, prefix: '', suffix: '', linePrefix: '', lineSuffix: '',
        prefixTruncated: false, suffixTruncated: false, indent: '' };
      await fromImports({ doc, current, currentPath: rel, open, queryTokens: new Set(), candidates: [], signal, deadlineAt: Infinity });
    } catch (err) {
      log.debug(`Infill context: warming ${snapshot.relativePath} failed: ${errorMessage(err)}`);
    }
  }

  return {
    gather,
    isExcluded,
    warm,
    invalidate(relativePath) {
      selections.clear();
      lastSelection.clear();
      excludedMemo.clear();
      if (relativePath) { files.delete(relativePath); stats.delete(relativePath); latestIndex.delete(relativePath); return; }
      files.clear(); stats.clear(); lists.clear(); resolutions.clear(); reexportTargets.clear(); latestIndex.clear();
    },
  };
}
