// What both generation commands share in VS Code: choosing FIM or chat for the configured model, a cancellable
// progress notification wired to an AbortSignal, reading the workspace for framework detection, and one way of
// telling the user what went wrong.
import * as vscode from 'vscode';
import { GenerationFailed, type GenerationMode } from '../../commands/generate';
import type { WorkspaceReader } from '../../commands/testFramework';
import { BackendError } from '../../backend/types';
import { isAbortError } from '../../util/abort';
import type { ExtensionServices } from '../services';
import { errorMessage } from '../../util/errors';

/** FIM with the model's template; Ollama chat when the model is chat-only; otherwise the reason it cannot work. */
export async function generationMode(services: ExtensionServices, signal: AbortSignal): Promise<GenerationMode> {
  const resolved = await services.resolveTemplate(signal);
  if ('template' in resolved) return { kind: 'fim', template: resolved.template };
  const backend = await services.backend();
  if (resolved.chatOnly && backend.chat) {
    services.log.info(`${services.config().model} has no fill-in-the-middle support; using the chat API for this command`);
    return { kind: 'chat' };
  }
  throw new GenerationFailed(resolved.error, []);
}

/** Generations in progress, so the test-only command can press Cancel for the integration tests. */
const running = new Set<AbortController>();

/** What the notification's Cancel button does, for every generation in progress (test mode only). */
export function cancelAllGenerations(): number {
  const count = running.size;
  for (const controller of running) controller.abort();
  return count;
}

/** Runs `task` behind a cancellable notification; Cancel aborts the signal. */
export function withCancellableProgress<T>(
  title: string,
  task: (signal: AbortSignal, report: (message: string) => void) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const listener = token.onCancellationRequested(() => controller.abort());
    running.add(controller);
    try {
      return await task(controller.signal, message => progress.report({ message }));
    } finally {
      running.delete(controller);
      listener.dispose();
    }
  });
}

/**
 * Tells the user how a command ended badly: cancelled (a quiet log line), the model's output was unusable (a
 * warning naming why), or the backend failed (the status bar and log via reportError, and an error message).
 */
export function reportFailure(services: ExtensionServices, err: unknown, during: string, userAction: string): void {
  if (isAbortError(err)) {
    services.log.info(`${userAction} cancelled; nothing was changed`);
    return;
  }
  const message = errorMessage(err);
  if (err instanceof GenerationFailed) {
    services.log.warn(`${userAction}: ${message}`);
    void showWithLog(services, vscode.window.showWarningMessage, `Infill: ${message} Nothing was changed.`);
    return;
  }
  services.reportError(err, during);
  const prefix = err instanceof BackendError ? 'the model server failed' : 'it failed';
  void showWithLog(services, vscode.window.showErrorMessage, `Infill: ${userAction} stopped because ${prefix}: ${message} Nothing was changed.`);
}

async function showWithLog(
  services: ExtensionServices,
  show: (message: string, ...items: string[]) => Thenable<string | undefined>,
  message: string,
): Promise<void> {
  const choice = await show(message, 'Show Log');
  if (choice === 'Show Log') services.log.show(true);
}

/** The workspace folder holding a document (or the document's own folder outside any workspace). */
export function workspaceRootFor(uri: vscode.Uri): vscode.Uri {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return folder ? folder.uri : vscode.Uri.joinPath(uri, '..');
}

export function relativeTo(root: vscode.Uri, uri: vscode.Uri): string {
  const rootPath = root.path.endsWith('/') ? root.path : root.path + '/';
  return uri.path.startsWith(rootPath) ? uri.path.slice(rootPath.length) : uri.path.split('/').pop() ?? uri.path;
}

/**
 * WorkspaceReader over vscode.workspace.fs; open documents are read from the editor (unsaved changes count).
 * Directory listings are cached for one detection, and a folder is only listed when its parent lists it, so
 * probing the usual test folders costs no failing reads (VS Code logs each one).
 */
export function vscodeWorkspaceReader(root: vscode.Uri): WorkspaceReader {
  const uriOf = (rel: string) => (rel ? vscode.Uri.joinPath(root, ...rel.split('/')) : root);
  const listings = new Map<string, Promise<string[] | undefined>>();
  const parentOf = (rel: string) => (rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '');
  const nameOf = (rel: string) => rel.slice(rel.lastIndexOf('/') + 1);

  const readDir = (rel: string): Promise<string[] | undefined> => {
    rel = rel.replace(/\/+$/, '');
    let listing = listings.get(rel);
    if (!listing) {
      listing = (async () => {
        if (rel) {
          const parent = await readDir(parentOf(rel));
          if (!parent?.includes(nameOf(rel) + '/')) return undefined;
        }
        try {
          const entries = await vscode.workspace.fs.readDirectory(uriOf(rel));
          return entries.map(([name, type]) => (type & vscode.FileType.Directory ? name + '/' : name));
        } catch {
          return undefined;
        }
      })();
      listings.set(rel, listing);
    }
    return listing;
  };

  return {
    async readFile(rel) {
      const uri = uriOf(rel);
      const open = vscode.workspace.textDocuments.find(d => d.uri.toString() === uri.toString());
      if (open) return open.getText();
      if (!(await readDir(parentOf(rel)))?.includes(nameOf(rel))) return undefined;
      try {
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        return undefined;
      }
    },
    readDir,
  };
}

/** Short "12 lines" style progress for a streaming text. */
export function linesSoFar(text: string): string {
  const lines = text.split('\n').length;
  return `${lines} line${lines === 1 ? '' : 's'} so far`;
}
