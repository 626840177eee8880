// The files the context sources read: open documents first, else the disk through the WorkspaceFs, cached by
// version or mtime, each parsed at most once. Reads are shared and outlive the request that started them:
// when a request stops waiting (its time budget), the read still fills the store for the next one.
import { LRUCache } from 'lru-cache';
import type { DocumentSnapshot } from '../document/types';
import { errorMessage } from '../util/errors';
import type { Logger } from '../util/log';
import type { Deadline } from './budget';
import type { Exclusion } from './exclusion';
import { editAddsSecret, looksLikeSecretContent } from './exclusion';
import type { FileStat, WorkspaceFs } from './fs';
import type { ContextCandidate } from './ranking';
import { identifierTokens, slidingWindows } from './ranking';
import type { ResolverHost } from './resolve';
import { StaleCache } from './staleCache';
import { indexFile, languageForPath, type Definition, type FileIndex } from './syntaxIndex';

export interface FileEntry {
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
  tabCandidates?: ContextCandidate[];
  tokens?: Set<string>;
}

export interface FileStoreOptions {
  fs: WorkspaceFs;
  exclusion: Pick<Exclusion, 'isExcluded'>;
  log: Logger;
  /** Wall clock (ms) for how long a stat is trusted. */
  now: () => number;
  /** How long a stat of a file on disk is trusted (ms). */
  statTtlMs: number;
  /** Files larger than this are not read (open documents included). */
  maxFileBytes: number;
}

/** FNV-1a, enough to tell two texts apart in a cache key. */
export function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return (h >>> 0).toString(36) + ':' + text.length;
}

/** Identity of an open document's content: VS Code's version grows with every edit; version 0 (CLI) is hashed. */
function snapshotStamp(d: DocumentSnapshot): string {
  return d.version > 0 ? `v${d.version}:${d.text.length}` : `h${hash(d.text)}`;
}

export function linesOf(entry: FileEntry): string[] {
  entry.lines ??= entry.text.split('\n');
  return entry.lines;
}

export function tokensOf(entry: FileEntry): Set<string> {
  entry.tokens ??= identifierTokens(entry.text);
  return entry.tokens;
}

// By definition, not by file version: the index of an edited document serves several versions (currentIndex).
const tokensOfDefinition = new WeakMap<Definition, Set<string>>();

export function definitionTokens(def: Definition): Set<string> {
  let t = tokensOfDefinition.get(def);
  if (!t) { t = identifierTokens(def.text); tokensOfDefinition.set(def, t); }
  return t;
}

/**
 * Share of the CPU the background re-indexing of edited documents may take. A parse of a 10,000-line file costs
 * tens of milliseconds: at every key (one every 100 ms or so) it would keep the CPU busy with work no request waits
 * for, and delay the requests that do.
 */
const REINDEX_CPU_SHARE = 0.1;

type Listing = Map<string, FileStat['type']>;

export class FileStore {
  // Bounded by text size (about 24 MB of UTF-16), not count: a 2,000-file project fits, a monorepo cycles.
  private readonly files = new LRUCache<string, FileEntry>({ maxSize: 12_000_000, sizeCalculation: e => Math.max(1, e.text.length * 2) });
  private readonly stats: StaleCache<FileStat | undefined>;
  private readonly listings: StaleCache<Listing | undefined>;
  private readonly pendingReads = new Map<string, Promise<FileEntry | undefined>>();
  /** The latest finished index and names of each recently edited document, by path. */
  private readonly latestIndex = new LRUCache<string, FileIndex>({ max: 32 });
  private readonly latestTokens = new LRUCache<string, Set<string>>({ max: 32 });
  /** Edited documents whose newest version waits for its background index, and the one timer that runs it. */
  private readonly staleIndexes = new Set<string>();
  private reindexTimer: NodeJS.Timeout | undefined;
  /** When the last background re-indexing ended and what it cost (performance.now() ms). */
  private reindexEndedAt = -Infinity;
  private reindexCostMs = 0;
  /** Cached file access for import resolution. */
  readonly resolverHost: ResolverHost;

  constructor(private readonly options: FileStoreOptions) {
    const { now, statTtlMs } = options;
    this.stats = new StaleCache({ now, ttlMs: statTtlMs, maxEntries: 20_000 });
    this.listings = new StaleCache({ now, ttlMs: statTtlMs, maxEntries: 5000 });
    this.resolverHost = {
      isFile: rel => this.isFile(rel),
      listFiles: async rel => {
        if (rel && !(await this.isDirectory(rel))) return undefined;
        const listing = await this.listingOf(rel);
        return listing ? [...listing].filter(([, t]) => t === 'file').map(([n]) => n).sort() : undefined;
      },
      readFile: async rel => (await this.load(rel, new Map()))?.text,
    };
  }

  /** The entry for an open document's current text (secret or not: callers check). */
  fromSnapshot(relativePath: string, d: DocumentSnapshot): FileEntry {
    return this.entryFor(relativePath, { stamp: snapshotStamp(d), text: d.text, languageId: d.languageId });
  }

  /** True when the last text seen of this file holds a credential. */
  holdsSecret(relativePath: string): boolean {
    return this.files.get(relativePath)?.secret ?? false;
  }

  /** A workspace file's text (open document first, else disk), cached by version or mtime; never a secret one. */
  async load(rel: string, open: Map<string, DocumentSnapshot>, signal?: AbortSignal): Promise<FileEntry | undefined> {
    const { exclusion, maxFileBytes } = this.options;
    if (exclusion.isExcluded(rel)) return undefined;
    const doc = open.get(rel);
    // An open document is held to the same size limit as a file on disk: parsing and indexing a huge one
    // would block the extension host for seconds. (Length in UTF-16 units: a cheap lower bound of its bytes.)
    if (doc) return doc.text.length > maxFileBytes ? undefined : usable(this.fromSnapshot(rel, doc));
    const st = await this.statOf(rel, signal);
    if (!st || st.type !== 'file' || st.size > maxFileBytes) return undefined;
    const stamp = `m${st.mtimeMs}:${st.size}`;
    const cached = this.files.get(rel);
    if (cached && cached.stamp === stamp) return usable(cached);
    // One read per file version at a time, not tied to the request (see the top of this file).
    const readKey = `${rel}\0${stamp}`;
    let reading = this.pendingReads.get(readKey);
    if (!reading) {
      reading = this.options.fs.readFile(rel).catch(() => undefined).then(text => {
        this.pendingReads.delete(readKey);
        if (text === undefined) { this.options.log.trace(`Infill context: no text for ${rel} (missing, binary, too large or too slow)`); return undefined; }
        return this.entryFor(rel, { stamp, text, languageId: languageForPath(rel) });
      });
      this.pendingReads.set(readKey, reading);
    }
    if (signal?.aborted) return undefined;
    const entry = await reading;
    return entry && usable(entry);
  }

  /**
   * The file's imports and definitions. Parsing is synchronous, so past the deadline no new parse starts, and
   * the next request picks up where this one stopped.
   */
  async index(entry: FileEntry, deadline?: Deadline): Promise<FileIndex | undefined> {
    if (!entry.index) {
      if (deadline?.passed()) return undefined;
      entry.index = entry.languageId
        ? indexFile(entry.languageId, entry.text).catch(err => {
          this.options.log.debug(`Infill context: could not parse ${entry.relativePath}: ${errorMessage(err)}`);
          return undefined;
        })
        : Promise.resolve(undefined);
    }
    return entry.index;
  }

  /**
   * The index of the document being edited. Its text changes with every keystroke, and a parse costs
   * milliseconds (tens on a busy machine), so an index from a few keystrokes ago is used at once while the
   * new one is parsed in the background: imports and top-level symbols rarely change between two requests.
   */
  async currentIndex(entry: FileEntry, deadline: Deadline): Promise<FileIndex | undefined> {
    if (entry.index) return entry.index;
    const previous = this.latestIndex.get(entry.relativePath);
    if (previous) {
      this.reindexLater(entry.relativePath);
      return previous;
    }
    const ix = await this.index(entry, deadline);
    if (ix) this.latestIndex.set(entry.relativePath, ix);
    return ix;
  }

  /** The names the document being edited uses: as currentIndex, those of a recent version serve at once. */
  currentTokens(entry: FileEntry): Set<string> {
    if (entry.tokens) return entry.tokens;
    const previous = this.latestTokens.get(entry.relativePath);
    if (previous) {
      this.reindexLater(entry.relativePath);
      return previous;
    }
    const tokens = tokensOf(entry);
    this.latestTokens.set(entry.relativePath, tokens);
    return tokens;
  }

  /** Forgets one file (changed on disk) or everything (ignore files or settings changed). */
  invalidate(relativePath?: string): void {
    if (relativePath) {
      this.files.delete(relativePath);
      this.stats.delete(relativePath);
      this.latestIndex.delete(relativePath);
      this.latestTokens.delete(relativePath);
      return;
    }
    this.files.clear();
    this.stats.clear();
    this.listings.clear();
    this.latestIndex.clear();
    this.latestTokens.clear();
  }

  /**
   * Indexes the newest version of an edited document in the background, within REINDEX_CPU_SHARE: after a
   * re-indexing that cost c ms, the next starts no sooner than c / share ms after it began. Versions typed in between
   * are skipped, not queued.
   */
  private reindexLater(rel: string): void {
    this.staleIndexes.add(rel);
    if (this.reindexTimer) return;
    const wait = Math.max(0, this.reindexEndedAt + this.reindexCostMs * (1 / REINDEX_CPU_SHARE - 1) - performance.now());
    this.reindexTimer = setTimeout(() => void this.reindexNewest(), wait);
    this.reindexTimer.unref?.(); // never what keeps a CLI process alive
  }

  private async reindexNewest(): Promise<void> {
    const started = performance.now();
    const paths = [...this.staleIndexes];
    this.staleIndexes.clear();
    try {
      for (const rel of paths) {
        const entry = this.files.peek(rel);
        if (!entry || entry.secret) continue;
        const ix = await this.index(entry);
        if (ix) this.latestIndex.set(rel, ix);
        this.latestTokens.set(rel, tokensOf(entry));
      }
    } catch (err) {
      this.options.log.debug(`Infill context: background indexing failed: ${errorMessage(err)}`);
    } finally {
      // Whatever happened, the timer is free again: a failure must not stop every later re-indexing.
      this.reindexEndedAt = performance.now();
      this.reindexCostMs = this.reindexEndedAt - started;
      this.reindexTimer = undefined;
      if (this.staleIndexes.size) this.reindexLater(this.staleIndexes.values().next().value!);
    }
  }

  /** The entry for one version of a file: the cached one while the stamp is the same. */
  private entryFor(rel: string, { stamp, text, languageId }: Pick<FileEntry, 'stamp' | 'text' | 'languageId'>): FileEntry {
    const cached = this.files.get(rel);
    if (cached && cached.stamp === stamp) return cached;
    // An edit of a text known to hold no credential: only the lines it touched can bring one.
    const secret = cached && !cached.secret ? editAddsSecret(cached.text, text) : looksLikeSecretContent(text);
    const entry: FileEntry = { relativePath: rel, stamp, languageId, text, secret };
    this.files.set(rel, entry);
    return entry;
  }

  private statOf(rel: string, signal?: AbortSignal): Promise<FileStat | undefined> {
    return this.stats.get(rel, () => this.options.fs.stat(rel, signal).catch(() => undefined));
  }

  /** A folder's entries (name -> type), cached: import resolution asks about many names in few folders. */
  private listingOf(dir: string): Promise<Listing | undefined> {
    const { fs } = this.options;
    return this.listings.get(dir, () => (fs.listFiles?.(dir || '.') ?? Promise.resolve(undefined))
      .then(entries => (entries ? new Map(entries.map(e => [e.name, e.type] as const)) : undefined))
      .catch(() => undefined));
  }

  private async isDirectory(dir: string): Promise<boolean> {
    const slash = dir.lastIndexOf('/');
    const parent = slash < 0 ? '' : dir.slice(0, slash);
    if (parent && !(await this.isDirectory(parent))) return false;
    return (await this.listingOf(parent))?.get(dir.slice(slash + 1)) === 'directory';
  }

  private async isFile(rel: string): Promise<boolean> {
    if (this.options.exclusion.isExcluded(rel)) return false;
    if (!this.options.fs.listFiles) return (await this.statOf(rel))?.type === 'file';
    const slash = rel.lastIndexOf('/');
    const dir = slash < 0 ? '' : rel.slice(0, slash);
    // Only list folders that exist (their parent's listing says so): `./x` probes `x/index.ts` everywhere.
    if (dir && !(await this.isDirectory(dir))) return false;
    return (await this.listingOf(dir))?.get(rel.slice(slash + 1)) === 'file';
  }
}

function usable(entry: FileEntry): FileEntry | undefined {
  return entry.secret ? undefined : entry;
}
