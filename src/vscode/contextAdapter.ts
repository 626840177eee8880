// VS Code side of the related-context stage: files through vscode.workspace.fs (with timeouts), open tabs as
// document snapshots, edit/view events into the RecentActivity tracker, and files.exclude / infill.exclude /
// .gitignore into the exclusion. One plain-TypeScript provider (src/context) per workspace folder.
import * as vscode from 'vscode';
import type { InfillConfig } from '../config/types';
import type { DocumentContext, DocumentSnapshot } from '../document/types';
import { RecentActivity } from '../context/activity';
import { createExclusion, type Exclusion, type GitignoreFile } from '../context/exclusion';
import { looksBinary, withTimeout, type FileStat, type WorkspaceFs } from '../context/fs';
import { createContextProvider, type WorkspaceContextProvider } from '../context/provider';
import type { ContextProvider, ContextSnippet } from '../context/types';
import type { Logger } from '../util/log';
import { errorMessage } from '../util/errors';

/**
 * Longest wait for one file-system call; past it the file is simply not context this time. Requests never wait
 * this long (the provider's time budget is much shorter): a late answer fills the caches for the next request.
 */
const FS_TIMEOUT_MS = 5000;
/** Open tabs considered (most editors keep far fewer loaded). */
const MAX_OPEN_DOCUMENTS = 40;
/** Lines around the cursor recorded as "viewed" when the selection moves. */
const VIEW_RADIUS = 12;
const MAX_GITIGNORE_FILES = 300;

export interface VscodeContext {
  provider: ContextProvider;
  /** True for files Infill must not complete in, read or send (secrets, .gitignore, files.exclude, infill.exclude). */
  isExcluded(uri: vscode.Uri): boolean;
}

interface FolderState {
  folder: vscode.WorkspaceFolder;
  activity: RecentActivity;
  core: WorkspaceContextProvider;
  exclusion: Exclusion;
  /** Resolves once the folder's .gitignore files are loaded (gathering waits for it, once). */
  ready: Promise<void>;
  /** Re-reads the settings (and the .gitignore files when `reload`) into the exclusion. */
  rebuild(reload: boolean): Promise<void>;
}

function toPosixRelative(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string | undefined {
  if (uri.scheme !== folder.uri.scheme || uri.authority !== folder.uri.authority) return undefined;
  const base = folder.uri.path.replace(/\/+$/, '');
  if (!uri.path.startsWith(base + '/')) return undefined;
  return uri.path.slice(base.length + 1);
}

function vscodeFs(folder: vscode.WorkspaceFolder, maxFileBytes: () => number, log: Logger): WorkspaceFs {
  const uriOf = (p: string) => {
    const rel = p.startsWith('/') || /^[a-z]:[\\/]/i.test(p) ? undefined : p;
    return rel !== undefined ? vscode.Uri.joinPath(folder.uri, rel) : folder.uri.with({ path: vscode.Uri.file(p).path });
  };
  const typeOf = (t: vscode.FileType): FileStat['type'] =>
    t & vscode.FileType.File ? 'file' : t & vscode.FileType.Directory ? 'directory' : 'other';
  const decoder = new TextDecoder('utf-8');
  return {
    stat: (p, signal) => withTimeout(FS_TIMEOUT_MS, signal, async () => {
      const st = await vscode.workspace.fs.stat(uriOf(p));
      return { type: typeOf(st.type), size: st.size, mtimeMs: st.mtime };
    }),
    readFile: (p, signal) => withTimeout(FS_TIMEOUT_MS, signal, async () => {
      const uri = uriOf(p);
      const started = Date.now();
      try {
        const st = await vscode.workspace.fs.stat(uri);
        if (!(st.type & vscode.FileType.File) || st.size > maxFileBytes()) {
          log.trace(`Infill context: not read: ${uri.toString()} (type ${st.type}, ${st.size} bytes)`);
          return undefined;
        }
        const bytes = await vscode.workspace.fs.readFile(uri);
        if (Date.now() - started > FS_TIMEOUT_MS / 2) log.trace(`Infill context: slow read of ${uri.toString()}: ${Date.now() - started} ms`);
        return looksBinary(bytes) ? undefined : decoder.decode(bytes);
      } catch (err) {
        log.trace(`Infill context: cannot read ${uri.toString()}: ${errorMessage(err)}`);
        return undefined;
      }
    }),
    listFiles: (p, signal) => withTimeout(FS_TIMEOUT_MS, signal, async () => {
      try {
        const entries = await vscode.workspace.fs.readDirectory(uriOf(p));
        return entries.map(([name, type]) => ({ name, type: typeOf(type) }));
      } catch (err) {
        log.trace(`Infill context: cannot list ${uriOf(p).toString()}: ${errorMessage(err)}`);
        return undefined;
      }
    }),
  };
}

async function loadGitignores(folder: vscode.WorkspaceFolder, log: Logger): Promise<GitignoreFile[]> {
  try {
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/.gitignore'), '**/node_modules/**', MAX_GITIGNORE_FILES);
    const out: GitignoreFile[] = [];
    for (const uri of uris.sort((a, b) => a.path.localeCompare(b.path))) {
      const rel = toPosixRelative(folder, uri);
      if (rel === undefined) continue;
      try {
        const bytes = await vscode.workspace.fs.readFile(uri);
        out.push({ dir: rel.split('/').slice(0, -1).join('/'), content: new TextDecoder('utf-8').decode(bytes) });
      } catch {
        // Unreadable ignore file: the others still apply.
      }
    }
    return out;
  } catch (err) {
    log.warn(`Infill context: could not list .gitignore files in ${folder.name}: ${errorMessage(err)}`);
    return [];
  }
}

export function createVscodeContextProvider(
  context: vscode.ExtensionContext,
  getConfig: () => InfillConfig,
  log: Logger,
): VscodeContext {
  const folders = new Map<string, FolderState>();
  const snapshots = new Map<string, DocumentSnapshot>();

  function buildExclusion(folder: vscode.WorkspaceFolder, gitignore: GitignoreFile[]): Exclusion {
    return createExclusion({
      root: folder.uri.fsPath,
      gitignore,
      filesExclude: vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude') ?? {},
      userGlobs: getConfig().exclude,
    });
  }

  function snapshotOf(folder: vscode.WorkspaceFolder, doc: vscode.TextDocument): DocumentSnapshot | undefined {
    const rel = toPosixRelative(folder, doc.uri);
    if (rel === undefined) return undefined;
    // Too large to use as context: measured without copying the text (getText() of a huge file is costly).
    const length = doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
    if (length > getConfig().maxFileBytes) return undefined;
    const key = doc.uri.toString();
    const cached = snapshots.get(key);
    if (cached && cached.version === doc.version && cached.languageId === doc.languageId) return cached;
    const snap: DocumentSnapshot = { uri: key, relativePath: rel, languageId: doc.languageId, text: doc.getText(), version: doc.version };
    snapshots.set(key, snap);
    return snap;
  }

  /** Documents shown in tabs (loaded ones; a tab not yet restored has no text to offer). */
  function openDocuments(folder: vscode.WorkspaceFolder): DocumentSnapshot[] {
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
      const snap = snapshotOf(folder, doc);
      if (snap) out.push(snap);
      if (out.length >= MAX_OPEN_DOCUMENTS) break;
    }
    return out;
  }

  function stateFor(folder: vscode.WorkspaceFolder): FolderState {
    const key = folder.uri.toString();
    const existing = folders.get(key);
    if (existing) return existing;
    const activity = new RecentActivity();
    // The core keeps this object; we swap what it delegates to when ignore files or settings change.
    let current = buildExclusion(folder, []);
    const exclusion: Exclusion = {
      isExcluded: p => current.isExcluded(p),
      reason: p => current.reason(p),
      relative: p => current.relative(p),
    };
    const core = createContextProvider({
      fs: vscodeFs(folder, () => getConfig().maxFileBytes, log),
      workspaceRoot: folder.uri.fsPath,
      openDocuments: () => openDocuments(folder),
      activity,
      exclusion,
      config: () => ({ enabled: getConfig().contextEnabled, maxContextTokens: getConfig().maxContextTokens }),
      log,
      maxFileBytes: getConfig().maxFileBytes,
    });
    let gitignore: GitignoreFile[] = [];
    const rebuild = async (reload: boolean) => {
      if (reload) gitignore = await loadGitignores(folder, log);
      current = buildExclusion(folder, gitignore);
      core.invalidate();
    };
    const state: FolderState = {
      folder, activity, core, exclusion, rebuild,
      ready: rebuild(true).catch(err => log.warn(`Infill context: exclusions for ${folder.name}: ${errorMessage(err)}`)),
    };
    folders.set(key, state);
    return state;
  }

  const rebuildAll = (reload: boolean) => {
    for (const s of folders.values()) {
      void s.rebuild(reload).catch(err =>
        log.warn(`Infill context: could not reload exclusions: ${errorMessage(err)}`));
    }
  };

  const folderOf = (uri: vscode.Uri) => vscode.workspace.getWorkspaceFolder(uri);
  const fallbackFolder = () => vscode.workspace.workspaceFolders?.[0];

  function isExcluded(uri: vscode.Uri): boolean {
    const folder = folderOf(uri);
    if (folder) return stateFor(folder).core.isExcluded(uri.scheme === 'file' ? uri.fsPath : uri.path);
    // Outside every folder: only the secret names and the user's own globs apply.
    return createExclusion({ root: '/', userGlobs: getConfig().exclude }).isExcluded(uri.path);
  }

  const provider: ContextProvider = {
    async gather(doc: DocumentContext, signal: AbortSignal): Promise<ContextSnippet[]> {
      let uri: vscode.Uri;
      try { uri = vscode.Uri.parse(doc.uri, true); } catch { uri = vscode.Uri.file(doc.uri); }
      const folder = folderOf(uri) ?? fallbackFolder();
      if (!folder) return [];
      const state = stateFor(folder);
      await state.ready;
      return state.core.gather(doc, signal);
    },
  };

  const recordFor = (uri: vscode.Uri, record: (s: FolderState, rel: string) => void) => {
    const folder = folderOf(uri);
    if (!folder) return;
    const rel = toPosixRelative(folder, uri);
    if (rel === undefined) return;
    const s = stateFor(folder);
    if (s.exclusion.isExcluded(rel)) return;
    record(s, rel);
  };

  const watcher = vscode.workspace.createFileSystemWatcher('**/.gitignore');
  context.subscriptions.push(
    watcher,
    watcher.onDidChange(() => rebuildAll(true)),
    watcher.onDidCreate(() => rebuildAll(true)),
    watcher.onDidDelete(() => rebuildAll(true)),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration('files.exclude') || e.affectsConfiguration('infill.exclude')) rebuildAll(false);
      else if (e.affectsConfiguration('infill')) for (const s of folders.values()) s.core.invalidate();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(e => {
      for (const f of e.removed) folders.delete(f.uri.toString());
    }),
    vscode.workspace.onDidChangeTextDocument(e => {
      if (!e.contentChanges.length) return;
      recordFor(e.document.uri, (s, rel) => {
        for (const c of e.contentChanges) {
          const newLines = (c.text.match(/\n/g) ?? []).length;
          const delta = newLines - (c.range.end.line - c.range.start.line);
          s.activity.recordEdit(rel, c.range.start.line, c.range.start.line + newLines, undefined, delta);
        }
      });
    }),
    vscode.window.onDidChangeTextEditorVisibleRanges(e => {
      recordFor(e.textEditor.document.uri, (s, rel) => {
        for (const r of e.visibleRanges) s.activity.recordView(rel, r.start.line, r.end.line);
      });
    }),
    vscode.window.onDidChangeTextEditorSelection(e => {
      // Keyboard moves while typing are edits already; mouse clicks and jumps (go to definition) are views.
      if (e.kind === vscode.TextEditorSelectionChangeKind.Keyboard) return;
      recordFor(e.textEditor.document.uri, (s, rel) => {
        const line = e.selections[0]?.active.line ?? 0;
        s.activity.recordView(rel, Math.max(0, line - VIEW_RADIUS), line + VIEW_RADIUS);
      });
    }),
    vscode.workspace.onDidCloseTextDocument(d => { snapshots.delete(d.uri.toString()); }),
    vscode.workspace.onDidDeleteFiles(e => {
      for (const uri of e.files) recordFor(uri, (s, rel) => { s.activity.forget(rel); s.core.invalidate(rel); });
    }),
    vscode.workspace.onDidRenameFiles(e => {
      for (const f of e.files) {
        const folder = folderOf(f.newUri);
        const from = folder && toPosixRelative(folder, f.oldUri);
        const to = folder && toPosixRelative(folder, f.newUri);
        if (folder && from !== undefined && to !== undefined) {
          const s = stateFor(folder);
          s.activity.rename(from, to);
          s.core.invalidate(from);
        }
      }
    }),
    { dispose: () => { folders.clear(); snapshots.clear(); } },
  );

  // Parse the active file and its imports as soon as it is shown, so its first completion has context too.
  const warmEditor = (editor: vscode.TextEditor | undefined) => {
    if (!editor || !getConfig().contextEnabled) return;
    const folder = folderOf(editor.document.uri);
    if (!folder) return;
    const snap = snapshotOf(folder, editor.document);
    if (!snap) return;
    const state = stateFor(folder);
    void state.ready.then(() => state.core.warm(snap));
  };
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(warmEditor));

  // Load the ignore files of the folders now, so the first completion does not wait for them.
  for (const f of vscode.workspace.workspaceFolders ?? []) stateFor(f);
  warmEditor(vscode.window.activeTextEditor);

  return { provider, isExcluded };
}
