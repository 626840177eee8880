// Public entry points of the related-context stage. The VS Code adapter builds its provider in
// src/vscode/contextAdapter.ts; the CLI, tests and the bench use createNodeContextProvider below.
import * as fs from 'fs';
import * as path from 'path';
import type { DocumentSnapshot } from '../document/types';
import { DEFAULT_CONFIG } from '../config/types';
import type { Clock } from '../pipeline/clock';
import type { Logger } from '../util/log';
import { RecentActivity } from './activity';
import { createExclusion, type Exclusion, type GitignoreFile } from './exclusion';
import { createNodeFs } from './fs';
import { createContextProvider, type WorkspaceContextProvider } from './provider';
import { languageForPath } from './syntaxIndex';

export { createContextProvider, queryText, PRIORS } from './provider';
export type { ContextProviderOptions, ContextSettings, WorkspaceContextProvider } from './provider';
export type { ContextSourceId, SourceStatistics } from './sources/source';
export { createExclusion, looksLikeSecretPath, looksLikeSecretContent } from './exclusion';
export type { Exclusion, ExclusionOptions, GitignoreFile } from './exclusion';
export { RecentActivity } from './activity';
export type { ActivityRange } from './activity';
export { createNodeFs } from './fs';
export type { WorkspaceFs, FileStat } from './fs';
export { promptPrefixReuse, roughTokens } from './reuse';
export { languageForPath } from './syntaxIndex';
export type { ContextProvider, ContextSnippet, SnippetSource } from './types';

/** Folders never worth walking for .gitignore files. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'target', 'dist', 'out', 'build', '.venv', 'venv', '__pycache__']);

/**
 * Every .gitignore under the root (nested ones included), skipping folders already ignored. Synchronous and
 * bounded: the CLI and the bench call it once per run.
 */
export function findGitignoreFiles(root: string, maxEntries = 50_000): GitignoreFile[] {
  const found: GitignoreFile[] = [];
  let seen = 0;
  const walk = (rel: string) => {
    const abs = rel ? path.join(root, rel) : root;
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(abs, { withFileTypes: true }); } catch { return; }
    seen += entries.length;
    if (entries.some(e => e.name === '.gitignore' && e.isFile())) {
      try { found.push({ dir: rel, content: fs.readFileSync(path.join(abs, '.gitignore'), 'utf8') }); } catch { /* unreadable: skip */ }
    }
    const partial = createExclusion({ root, gitignore: found });
    for (const e of entries.filter(d => d.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      if (seen > maxEntries) return;
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (SKIP_DIRS.has(e.name) || partial.isExcluded(childRel + '/x')) continue;
      walk(childRel);
    }
  };
  walk('');
  return found;
}

/** `files.exclude` from the workspace's .vscode/settings.json, so the CLI honours what the editor would. */
function workspaceFilesExclude(root: string): Record<string, unknown> | undefined {
  try {
    const raw = fs.readFileSync(path.join(root, '.vscode', 'settings.json'), 'utf8');
    const json = JSON.parse(raw.replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1')) as Record<string, unknown>;
    const value = json['files.exclude'];
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface NodeContextOptions {
  /** Workspace folder. */
  workspace: string;
  /** Files treated as open editor tabs (absolute, or relative to the workspace or the current directory). */
  openFiles?: string[];
  /** Extra exclusion globs (the `infill.exclude` setting). */
  exclude?: string[];
  maxContextTokens?: number;
  /** Recent edits and views to take into account (the bench and tests feed one). */
  activity?: RecentActivity;
  log?: Logger;
  /** Wall clock (ms) for activity ages and stat freshness. */
  now?: () => number;
  /** The clock the time budget runs on (tests pass a fake one). */
  clock?: Clock;
  timeBudgetMs?: number;
  /** How long a file's stat is trusted (ms); the VS Code adapter invalidates on change and can trust longer. */
  statTtlMs?: number;
}

export interface NodeContextProvider extends WorkspaceContextProvider {
  exclusion: Exclusion;
  activity: RecentActivity;
  /** Snapshots of the open files that were readable and not excluded. */
  openDocuments: DocumentSnapshot[];
}

/** Context for the CLI: the workspace on disk, the given files as open tabs, ignore files and settings honoured. */
export function createNodeContextProvider(options: NodeContextOptions): NodeContextProvider {
  const root = path.resolve(options.workspace);
  const exclusion = createExclusion({
    root,
    gitignore: findGitignoreFiles(root),
    filesExclude: workspaceFilesExclude(root),
    userGlobs: options.exclude ?? [],
  });
  const openDocuments: DocumentSnapshot[] = [];
  for (const f of options.openFiles ?? []) {
    const abs = path.isAbsolute(f) ? f : fs.existsSync(path.resolve(f)) ? path.resolve(f) : path.join(root, f);
    const rel = exclusion.relative(abs);
    if (!rel || exclusion.isExcluded(abs)) continue;
    try {
      const st = fs.statSync(abs);
      if (!st.isFile() || st.size > DEFAULT_CONFIG.maxFileBytes) continue;
      const text = fs.readFileSync(abs, 'utf8');
      if (text.includes('\u0000')) continue;
      // Read once and never edited here, so one version for the provider's life (version 0 would mean
      // "unknown" and cost a hash of every tab on every request).
      openDocuments.push({ uri: abs, relativePath: rel, languageId: languageForPath(abs) ?? 'plaintext', text, version: 1 });
    } catch {
      // An unreadable open file is simply not context.
    }
  }
  const activity = options.activity ?? new RecentActivity({ now: options.now });
  const provider = createContextProvider({
    fs: createNodeFs({ root, maxFileBytes: DEFAULT_CONFIG.maxFileBytes }),
    workspaceRoot: root,
    openDocuments: () => openDocuments,
    activity,
    exclusion,
    config: () => ({ enabled: true, maxContextTokens: options.maxContextTokens ?? DEFAULT_CONFIG.maxContextTokens }),
    log: options.log,
    now: options.now,
    clock: options.clock,
    // The CLI answers once per process: waiting for a cold parse is worth more than a fast empty answer.
    timeBudgetMs: options.timeBudgetMs ?? 2000,
    statTtlMs: options.statTtlMs,
  });
  return { ...provider, exclusion, activity, openDocuments };
}
