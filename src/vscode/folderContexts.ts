// One plain-TypeScript context provider (src/context) per workspace folder, with the folder's activity tracker
// and exclusion, and the open tabs as document snapshots. The adapter (contextAdapter.ts) feeds it editor events.
import * as vscode from 'vscode';
import type { InfillConfig } from '../config/types';
import { RecentActivity } from '../context/activity';
import { createExclusion, type Exclusion, type GitignoreFile } from '../context/exclusion';
import { createContextProvider, type WorkspaceContextProvider } from '../context/provider';
import type { ContextSnippet } from '../context/types';
import type { DocumentContext, DocumentSnapshot } from '../document/types';
import { errorMessage } from '../util/errors';
import type { Logger } from '../util/log';
import { loadGitignores, toPosixRelative, vscodeFs } from './workspaceFiles';
import { snapshotOf as providerSnapshotOf } from './provider';

/** Open tabs considered (most editors keep far fewer loaded). */
const MAX_OPEN_DOCUMENTS = 40;

export interface FolderState {
  folder: vscode.WorkspaceFolder;
  activity: RecentActivity;
  core: WorkspaceContextProvider;
  exclusion: Exclusion;
  /** Resolves once the folder's .gitignore files are loaded (gathering waits for it, once). */
  ready: Promise<void>;
  /** Re-reads the settings (and the .gitignore files when `reload`) into the exclusion. */
  rebuild(reload: boolean): Promise<void>;
}

export class FolderContexts {
  private readonly folders = new Map<string, FolderState>();
  private readonly snapshots = new Map<string, DocumentSnapshot>();

  constructor(private readonly getConfig: () => InfillConfig, private readonly log: Logger) {}

  /** The folder's state, created (and its ignore files loading) on first use. */
  stateFor(folder: vscode.WorkspaceFolder): FolderState {
    const key = folder.uri.toString();
    const existing = this.folders.get(key);
    if (existing) return existing;
    const state = this.createState(folder);
    this.folders.set(key, state);
    return state;
  }

  async gather(doc: DocumentContext, signal: AbortSignal): Promise<ContextSnippet[]> {
    let uri: vscode.Uri;
    try { uri = vscode.Uri.parse(doc.uri, true); } catch { uri = vscode.Uri.file(doc.uri); }
    const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) return [];
    const state = this.stateFor(folder);
    await state.ready;
    return state.core.gather(doc, signal);
  }

  isExcluded(uri: vscode.Uri): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (folder) return this.stateFor(folder).core.isExcluded(uri.scheme === 'file' ? uri.fsPath : uri.path);
    // Outside every folder: only the secret names and the user's own globs apply.
    return createExclusion({ root: '/', userGlobs: this.getConfig().exclude }).isExcluded(uri.path);
  }

  /** Calls `record` with the folder state and relative path of a file in a folder that is not excluded. */
  recordFor(uri: vscode.Uri, record: (s: FolderState, rel: string) => void): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return;
    const rel = toPosixRelative(folder, uri);
    if (rel === undefined) return;
    const s = this.stateFor(folder);
    if (s.exclusion.isExcluded(rel)) return;
    record(s, rel);
  }

  /** Ignore files (`reload`) or exclusion settings changed. */
  rebuildAll(reload: boolean): void {
    for (const s of this.folders.values()) {
      void s.rebuild(reload).catch(err => this.log.warn(`Infill context: could not reload exclusions: ${errorMessage(err)}`));
    }
  }

  invalidateAll(): void {
    for (const s of this.folders.values()) s.core.invalidate();
  }

  renamed(oldUri: vscode.Uri, newUri: vscode.Uri): void {
    const folder = vscode.workspace.getWorkspaceFolder(newUri);
    const from = folder && toPosixRelative(folder, oldUri);
    const to = folder && toPosixRelative(folder, newUri);
    if (folder && from !== undefined && to !== undefined) {
      const s = this.stateFor(folder);
      s.activity.rename(from, to);
      s.core.invalidate(from);
    }
  }

  /** Parses the editor's file and its imports ahead, so its first completion has context too. */
  warm(editor: vscode.TextEditor | undefined): void {
    if (!editor || !this.getConfig().contextEnabled) return;
    const folder = vscode.workspace.getWorkspaceFolder(editor.document.uri);
    if (!folder) return;
    const snap = this.snapshotOf(folder, editor.document);
    if (!snap) return;
    const state = this.stateFor(folder);
    void state.ready.then(() => state.core.warm(snap));
  }

  forgetFolder(folder: vscode.WorkspaceFolder): void {
    this.folders.delete(folder.uri.toString());
  }

  forgetDocument(uri: vscode.Uri): void {
    this.snapshots.delete(uri.toString());
  }

  clear(): void {
    this.folders.clear();
    this.snapshots.clear();
  }

  private createState(folder: vscode.WorkspaceFolder): FolderState {
    const { getConfig, log } = this;
    const activity = new RecentActivity();
    // The core keeps this object; we swap what it delegates to when ignore files or settings change.
    let current = this.buildExclusion(folder, []);
    const exclusion: Exclusion = {
      isExcluded: p => current.isExcluded(p),
      reason: p => current.reason(p),
      relative: p => current.relative(p),
    };
    const core = createContextProvider({
      fs: vscodeFs(folder, () => getConfig().maxFileBytes, log),
      workspaceRoot: folder.uri.fsPath,
      openDocuments: () => this.openDocuments(folder),
      activity,
      exclusion,
      config: () => ({ enabled: getConfig().contextEnabled, maxContextTokens: getConfig().maxContextTokens }),
      log,
      maxFileBytes: getConfig().maxFileBytes,
    });
    let gitignore: GitignoreFile[] = [];
    const rebuild = async (reload: boolean) => {
      if (reload) gitignore = await loadGitignores(folder, log);
      current = this.buildExclusion(folder, gitignore);
      core.invalidate();
    };
    return {
      folder, activity, core, exclusion, rebuild,
      ready: rebuild(true).catch(err => log.warn(`Infill context: exclusions for ${folder.name}: ${errorMessage(err)}`)),
    };
  }

  private buildExclusion(folder: vscode.WorkspaceFolder, gitignore: GitignoreFile[]): Exclusion {
    return createExclusion({
      root: folder.uri.fsPath,
      gitignore,
      filesExclude: vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude') ?? {},
      userGlobs: this.getConfig().exclude,
    });
  }

  private snapshotOf(folder: vscode.WorkspaceFolder, doc: vscode.TextDocument): DocumentSnapshot | undefined {
    const rel = toPosixRelative(folder, doc.uri);
    if (rel === undefined) return undefined;
    // Too large to use as context: measured without copying the text (getText() of a huge file is costly).
    const length = doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
    if (length > this.getConfig().maxFileBytes) return undefined;
    const key = doc.uri.toString();
    const cached = this.snapshots.get(key);
    if (cached && cached.version === doc.version && cached.languageId === doc.languageId) return cached;
    // The provider's snapshot of this version when it made one: one copy of the text per version, not two.
    const snap: DocumentSnapshot = { uri: key, relativePath: rel, languageId: doc.languageId, text: providerSnapshotOf(doc).text, version: doc.version };
    this.snapshots.set(key, snap);
    return snap;
  }

  /** Documents shown in tabs (loaded ones; a tab not yet restored has no text to offer). */
  private openDocuments(folder: vscode.WorkspaceFolder): DocumentSnapshot[] {
    const loaded = new Map(vscode.workspace.textDocuments.map(d => [d.uri.toString(), d]));
    const uris = new Set<string>();
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        if (tab.input instanceof vscode.TabInputText) uris.add(tab.input.uri.toString());
        else if (tab.input instanceof vscode.TabInputTextDiff) uris.add(tab.input.modified.toString());
      }
    }
    for (const e of vscode.window.visibleTextEditors) uris.add(e.document.uri.toString());
    const out: DocumentSnapshot[] = [];
    for (const u of uris) {
      const doc = loaded.get(u);
      if (!doc || doc.isClosed) continue;
      const snap = this.snapshotOf(folder, doc);
      if (snap) out.push(snap);
      if (out.length >= MAX_OPEN_DOCUMENTS) break;
    }
    return out;
  }
}
