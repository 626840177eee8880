// Definitions the current file imports from workspace files: the named ones (followed one level through
// re-exports), or a summary of a module imported whole. The strongest source: what the code uses is defined there.
import type { Logger } from '../../util/log';
import type { Exclusion } from '../exclusion';
import type { FileEntry, FileStore } from '../fileStore';
import { definitionTokens } from '../fileStore';
import { identifierTokens } from '../ranking';
import { resolveImport, type ResolvedImport } from '../resolve';
import { StaleCache } from '../staleCache';
import { importFamily, type Definition, type FileIndex, type ImportRef } from '../syntaxIndex';
import { newStatistics, PRIORS, type ContextSource, type Gathering } from './source';

const MAX_IMPORTS = 40;
/** Re-exporting imports followed per name (an index file may hold hundreds of `export *` lines). */
const MAX_REEXPORTS = 64;
/** Top-level definitions in a module's summary. */
const SUMMARY_DEFINITIONS = 15;

export interface ImportsSourceOptions {
  store: FileStore;
  exclusion: Pick<Exclusion, 'isExcluded'>;
  /** Wall clock (ms) and freshness of the file store's stats: a resolution is trusted four times as long. */
  now: () => number;
  statTtlMs: number;
  log: Logger;
}

interface IndexedFile {
  file: FileEntry;
  idx: FileIndex;
}

/** One gathering's walk over the imports. */
interface Walk {
  g: Gathering;
  /** Identifiers of the whole current file: a listed file is read only if one of its names is used. */
  used: Set<string>;
  /** Definitions already offered (path:line). */
  seen: Set<string>;
}

export class ImportsSource implements ContextSource {
  readonly id = 'imports';
  readonly statistics = newStatistics();
  private readonly resolutions: StaleCache<ResolvedImport[]>;
  /** (re-exporting file, its version, name) -> the files behind its `export *` lines that define the name. */
  private readonly reexportTargets = new Map<string, string[]>();
  // Definitions of an index by the names an import can ask for, built once per index: a main file importing
  // fifty names from a module of a thousand definitions would otherwise scan it fifty times per request.
  private readonly definitionsByName = new WeakMap<FileIndex, Map<string, Definition[]>>();

  constructor(private readonly options: ImportsSourceOptions) {
    this.resolutions = new StaleCache({ now: options.now, ttlMs: options.statTtlMs * 4, maxEntries: 5000 });
  }

  async collect(g: Gathering): Promise<void> {
    if (!g.current || !g.currentPath) return;
    const store = this.options.store;
    const index = await store.currentIndex(g.current, g.deadline);
    const family = g.current.languageId ? importFamily(g.current.languageId) : undefined;
    if (!index || !family) return;
    const refs = index.imports.slice(0, MAX_IMPORTS);
    // Files of the same Go package / Java package see each other without an import.
    if (family === 'go') refs.push({ family, specifier: '.', names: [] });
    if (family === 'java' && index.packageName) refs.push({ family, specifier: index.packageName, names: [], wildcard: true });
    const walk: Walk = { g, used: store.currentTokens(g.current), seen: new Set() };
    let resolved = 0;
    await Promise.all(refs.map(async ref => {
      const targets = await this.resolve(ref, g.currentPath!, index.packageName);
      resolved += targets.length;
      for (const r of targets) await this.visit(walk, r, 0);
    }));
    this.options.log.trace(`Infill context: ${g.currentPath}: ${refs.length} imports, ${resolved} workspace files, ${walk.seen.size} definitions`);
  }

  invalidate(relativePath?: string): void {
    if (relativePath) return;
    this.resolutions.clear();
    this.reexportTargets.clear();
  }

  private resolve(ref: ImportRef, from: string, packageName: string | undefined): Promise<ResolvedImport[]> {
    const key = `${from}\0${packageName ?? ''}\0${JSON.stringify(ref)}`;
    return this.resolutions.get(key, () => resolveImport(ref, { path: from, packageName }, this.options.store.resolverHost).catch(() => []));
  }

  /** True when it found a definition (or, at depth 0, offered a summary). */
  private async visit(walk: Walk, r: ResolvedImport, depth: number): Promise<boolean> {
    const { g, used } = walk;
    if (r.path === g.currentPath || this.options.exclusion.isExcluded(r.path)) return false;
    if (r.onlyIfUsed && !used.has(r.onlyIfUsed)) return false;
    const file = await this.options.store.load(r.path, g.open, g.signal);
    if (!file) return false;
    // Behind `export *` most files do not define the name: a text search spares their parse.
    if (depth > 0 && !r.names.some(n => mayDefine(file.text, n))) return false;
    const idx = await this.options.store.index(file, g.deadline);
    if (!idx) return false;
    const fam = file.languageId ? importFamily(file.languageId) : undefined;
    const named = r.names.length > 0;
    const wanted = named ? r.names : [...new Set(idx.definitions.flatMap(d => d.names))].filter(n => used.has(n)).sort();
    let found = 0;
    for (const name of wanted) {
      const defs = this.definitionsNamed(idx, name, fam);
      for (const d of defs) this.offerDefinition(walk, { file, def: d }, named);
      found += defs.length;
      if (!defs.length && depth === 0 && await this.viaReexports(walk, { file, idx }, name)) found++;
    }
    if (!found && depth === 0 && idx.definitions.length) {
      g.offer(moduleSummary(file, idx));
      return true;
    }
    return found > 0;
  }

  /**
   * One level of re-exports: `export { X } from './x'`, `export * from`, or Python's `from .x import X`.
   * Where the name was found last time is tried first: an index file with 30 `export *` lines costs one visit, not 30.
   */
  private async viaReexports(walk: Walk, { file, idx }: IndexedFile, name: string): Promise<boolean> {
    const memoKey = `${file.relativePath}\0${file.stamp}\0${name}`;
    const remembered = this.reexportTargets.get(memoKey);
    if (remembered) {
      const hits = await Promise.all(remembered.map(p => this.visit(walk, { path: p, names: [name] }, 1)));
      if (hits.some(Boolean)) return true;
    }
    const via = idx.imports.filter(i => i.names.includes(name) || (i.reexport && i.wildcard)).slice(0, MAX_REEXPORTS);
    const targets = (await Promise.all(via.map(ref => this.resolve(ref, file.relativePath, idx.packageName)))).flat();
    const hits = await Promise.all(targets.map(next => this.visit(walk, { path: next.path, names: [name] }, 1)));
    // An answer found after the deadline may be partial: it is not remembered.
    if (!walk.g.deadline.passed()) {
      this.reexportTargets.set(memoKey, targets.filter((_, i) => hits[i]).map(t => t.path));
      if (this.reexportTargets.size > 5000) this.reexportTargets.delete(this.reexportTargets.keys().next().value!);
    }
    return hits.some(Boolean);
  }

  private offerDefinition(walk: Walk, { file, def }: { file: FileEntry; def: Definition }, named: boolean): void {
    const key = `${file.relativePath}:${def.startLine}`;
    if (walk.seen.has(key)) return;
    walk.seen.add(key);
    const q = walk.g.queryTokens;
    const nearCursor = def.names.some(n => q.has(n)) || (def.owner !== undefined && q.has(def.owner));
    const prior = nearCursor ? PRIORS.importUsedNearCursor : named ? PRIORS.importNamed : PRIORS.importUsed;
    walk.g.offer({
      relativePath: file.relativePath, source: 'import', startLine: def.startLine, endLine: def.endLine,
      content: def.text, prior, tokens: definitionTokens(def),
    });
  }

  private definitionsNamed(index: FileIndex, name: string, family: string | undefined): Definition[] {
    let byName = this.definitionsByName.get(index);
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
      this.definitionsByName.set(index, byName);
    }
    return byName.get(name) ?? [];
  }
}

/** Nothing named matched (a module import, `mod x;`, `from . import mod`): a summary of what the module offers. */
function moduleSummary(file: FileEntry, idx: FileIndex) {
  const sigs = idx.definitions.filter(d => !d.owner).slice(0, SUMMARY_DEFINITIONS).map(d => d.signature);
  const content = sigs.join('\n');
  const last = idx.definitions[Math.min(idx.definitions.length, SUMMARY_DEFINITIONS) - 1];
  return {
    relativePath: file.relativePath, source: 'import' as const, startLine: idx.definitions[0].startLine, endLine: last.endLine,
    content, prior: PRIORS.importSummary, tokens: identifierTokens(content),
  };
}

/** A cheap test that `text` may define `name` (a declaration keyword before it), before paying for a parse. */
export function mayDefine(text: string, name: string): boolean {
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
