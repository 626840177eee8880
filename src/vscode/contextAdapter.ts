// VS Code side of the related-context stage: files through vscode.workspace.fs (with timeouts; workspaceFiles.ts),
// open tabs as document snapshots, edit/view events into the RecentActivity tracker, and files.exclude /
// infill.exclude / .gitignore into the exclusion. One plain-TypeScript provider (src/context) per workspace folder
// (folderContexts.ts); this file wires the editor's events to them.
import * as vscode from 'vscode';
import type { InfillConfig } from '../config/types';
import type { ContextProvider } from '../context/types';
import type { Logger } from '../util/log';
import { FolderContexts } from './folderContexts';

/** Lines around the cursor recorded as "viewed" when the selection moves. */
const VIEW_RADIUS = 12;

export interface VscodeContext {
  provider: ContextProvider;
  /** True for files Infill must not complete in, read or send (secrets, .gitignore, files.exclude, infill.exclude). */
  isExcluded(uri: vscode.Uri): boolean;
}

export function createVscodeContextProvider(
  context: vscode.ExtensionContext,
  getConfig: () => InfillConfig,
  log: Logger,
): VscodeContext {
  const contexts = new FolderContexts(getConfig, log);
  context.subscriptions.push(...settingsAndFileEvents(contexts), ...activityEvents(contexts), { dispose: () => contexts.clear() });
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(editor => contexts.warm(editor)));

  // Load the ignore files of the folders now, so the first completion does not wait for them.
  for (const f of vscode.workspace.workspaceFolders ?? []) contexts.stateFor(f);
  contexts.warm(vscode.window.activeTextEditor);

  return {
    provider: { gather: (doc, signal) => contexts.gather(doc, signal) },
    isExcluded: uri => contexts.isExcluded(uri),
  };
}

/** Ignore files, settings, folders and files on disk changing: what the providers cached goes. */
function settingsAndFileEvents(contexts: FolderContexts): vscode.Disposable[] {
  const watcher = vscode.workspace.createFileSystemWatcher('**/.gitignore');
  return [
    watcher,
    watcher.onDidChange(() => contexts.rebuildAll(true)),
    watcher.onDidCreate(() => contexts.rebuildAll(true)),
    watcher.onDidDelete(() => contexts.rebuildAll(true)),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration('files.exclude') || e.affectsConfiguration('infill.exclude')) contexts.rebuildAll(false);
      else if (e.affectsConfiguration('infill')) contexts.invalidateAll();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(e => {
      for (const f of e.removed) contexts.forgetFolder(f);
    }),
    vscode.workspace.onDidCloseTextDocument(d => contexts.forgetDocument(d.uri)),
    vscode.workspace.onDidDeleteFiles(e => {
      for (const uri of e.files) contexts.recordFor(uri, (s, rel) => { s.activity.forget(rel); s.core.invalidate(rel); });
    }),
    vscode.workspace.onDidRenameFiles(e => {
      for (const f of e.files) contexts.renamed(f.oldUri, f.newUri);
    }),
  ];
}

/** Edits and views into each folder's RecentActivity. */
function activityEvents(contexts: FolderContexts): vscode.Disposable[] {
  return [
    vscode.workspace.onDidChangeTextDocument(e => {
      if (!e.contentChanges.length) return;
      contexts.recordFor(e.document.uri, (s, rel) => {
        for (const c of e.contentChanges) {
          const newLines = (c.text.match(/\n/g) ?? []).length;
          const delta = newLines - (c.range.end.line - c.range.start.line);
          s.activity.recordEdit({ relativePath: rel, startLine: c.range.start.line, endLine: c.range.start.line + newLines, lineDelta: delta });
        }
      });
    }),
    vscode.window.onDidChangeTextEditorVisibleRanges(e => {
      contexts.recordFor(e.textEditor.document.uri, (s, rel) => {
        for (const r of e.visibleRanges) s.activity.recordView({ relativePath: rel, startLine: r.start.line, endLine: r.end.line });
      });
    }),
    vscode.window.onDidChangeTextEditorSelection(e => {
      // Keyboard moves while typing are edits already; mouse clicks and jumps (go to definition) are views.
      if (e.kind === vscode.TextEditorSelectionChangeKind.Keyboard) return;
      contexts.recordFor(e.textEditor.document.uri, (s, rel) => {
        const line = e.selections[0]?.active.line ?? 0;
        s.activity.recordView({ relativePath: rel, startLine: Math.max(0, line - VIEW_RADIUS), endLine: line + VIEW_RADIUS });
      });
    }),
  ];
}
