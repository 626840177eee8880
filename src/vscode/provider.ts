// The InlineCompletionItemProvider: turns VS Code's request into a DocumentSnapshot + AbortSignal for the
// pipeline, and the pipeline's suggestion into ghost text. Every reason not to complete is checked here first,
// cheapest first, so a disabled language or a huge file costs nothing.
import * as vscode from 'vscode';
import type { InfillConfig } from '../config/types';
import type { DocumentSnapshot, Position } from '../document/types';
import { isAbortError } from '../util/abort';
import { formatBytes } from './pullMeter';

/** The pipeline's answer, in plain (0-based) positions. */
export interface ProvidedSuggestion {
  /** Text to insert (replacing `range`). */
  insertText: string;
  /** Range to replace; when absent, an insertion at the cursor. */
  range?: { start: Position; end: Position };
  /** Where it came from ('model', 'cache', 'typed-through', ...), for the log. */
  source?: string;
  /** The suggestion itself (insertText may also hold the rest of the line), and the model request it came from. */
  text?: string;
  requestId?: number;
}

/** A suggestion handed to VS Code as ghost text, for the statistics. */
export interface ShownItem {
  document: vscode.TextDocument;
  position: vscode.Position;
  suggestion: ProvidedSuggestion;
  /** From VS Code's request to the answer. */
  waitedMs: number;
}

/** What the provider needs from the completion engine. */
export interface SuggestionEngine {
  provide(
    snapshot: DocumentSnapshot,
    position: Position,
    signal: AbortSignal,
    options: { editorId: string; explicit: boolean },
  ): Promise<ProvidedSuggestion | undefined>;
}

export interface ProviderDeps {
  engine: SuggestionEngine;
  config(): InfillConfig;
  /** Snoozed, disabled globally or for the language. */
  isActiveFor(languageId: string): boolean;
  isExcluded(uri: vscode.Uri): boolean;
  log: vscode.LogOutputChannel;
  /** An unexpected failure (the engine reports expected ones through its status events). */
  reportError(error: unknown, during: string): void;
  /** Why this document gets no completion (too large, binary, excluded); undefined when it does. */
  fileNote?(uri: string, reason: string | undefined): void;
  /** A suggestion is about to be shown; the command returned runs when the user accepts it whole. */
  onShown?(item: ShownItem): vscode.Command | undefined;
}

/** How far into a document we look for NUL characters when deciding it is binary. */
const BINARY_PROBE_CHARS = 8192;

/** An AbortSignal that fires when VS Code cancels the request; `dispose` drops the listener. */
export function abortSignalFor(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) {
    controller.abort();
    return { signal: controller.signal, dispose() {} };
  }
  const listener = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => listener.dispose() };
}

/** Length of the document in UTF-16 code units, without copying its text. */
export function documentLength(document: vscode.TextDocument): number {
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
}

/** Workspace-relative path for prompts; the file name for untitled documents. */
export function relativePathOf(document: vscode.TextDocument): string {
  if (document.uri.scheme === 'untitled') return document.uri.path || document.fileName;
  return vscode.workspace.asRelativePath(document.uri, false);
}

// The last snapshot of each document: the provider, the context stage and the selection handler each ask for the
// same version at every key, and getText() copies the whole file.
const snapshots = new WeakMap<vscode.TextDocument, DocumentSnapshot>();

export function snapshotOf(document: vscode.TextDocument): DocumentSnapshot {
  const known = snapshots.get(document);
  if (known && known.version === document.version && known.languageId === document.languageId && known.uri === document.uri.toString()) return known;
  const snap = {
    uri: document.uri.toString(),
    relativePath: relativePathOf(document),
    languageId: document.languageId,
    text: document.getText(),
    version: document.version,
  };
  snapshots.set(document, snap);
  return snap;
}

export class InfillInlineProvider implements vscode.InlineCompletionItemProvider {
  /** Documents already logged as skipped (once per document and reason, not on every keystroke). */
  private readonly skipLogged = new Set<string>();

  constructor(private readonly deps: ProviderDeps) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    if (token.isCancellationRequested) return undefined;
    const explicit = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
    const tracing = this.deps.log.logLevel === vscode.LogLevel.Trace || process.env.INFILL_TEST === '1';
    if (tracing) this.deps.log.trace(`provide ${relativePathOf(document)}:${position.line + 1}:${position.character + 1} v${document.version}${explicit ? ' (explicit)' : ''}`);
    const skip = this.skipReason(document);
    if (skip) {
      this.logSkipOnce(document, skip);
      if (skip !== 'inactive' && skip !== 'scheme') this.deps.fileNote?.(document.uri.toString(), skip);
      return undefined;
    }
    this.deps.fileNote?.(document.uri.toString(), undefined);
    // Another inline-completion source (e.g. a snippet session) is showing a selected suggest item: stay out.
    if (context.selectedCompletionInfo) return undefined;

    const abort = abortSignalFor(token);
    const asked = Date.now();
    try {
      const suggestion = await this.deps.engine.provide(
        snapshotOf(document),
        { line: position.line, character: position.character },
        abort.signal,
        { editorId: document.uri.toString(), explicit },
      );
      if (tracing) this.deps.log.trace(`provide ${relativePathOf(document)} v${document.version}: ${suggestion ? `${suggestion.source} suggestion` : 'nothing'}${token.isCancellationRequested ? ' (cancelled)' : ''}`);
      // A late answer for a document that changed meanwhile would be stale ghost text.
      if (!suggestion || !suggestion.insertText || token.isCancellationRequested) return undefined;
      const range = suggestion.range
        ? new vscode.Range(suggestion.range.start.line, suggestion.range.start.character, suggestion.range.end.line, suggestion.range.end.character)
        : new vscode.Range(position, position);
      const command = this.deps.onShown?.({ document, position, suggestion, waitedMs: Date.now() - asked });
      return [new vscode.InlineCompletionItem(suggestion.insertText, range, command)];
    } catch (error) {
      if (!isAbortError(error)) this.deps.reportError(error, 'completing');
      return undefined;
    } finally {
      abort.dispose();
    }
  }

  /** Why this document gets no completion, or undefined when it may. */
  private skipReason(document: vscode.TextDocument): string | undefined {
    if (!this.deps.isActiveFor(document.languageId)) return 'inactive';
    if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return 'scheme';
    const config = this.deps.config();
    const length = documentLength(document);
    if (length > config.maxFileBytes) return `the file is larger than ${formatBytes(config.maxFileBytes)} (setting infill.maxFileBytes)`;
    // positionAt is cheap; a minified one-line file must not be copied whole on every keystroke.
    const probe = document.getText(new vscode.Range(new vscode.Position(0, 0), document.positionAt(BINARY_PROBE_CHARS)));
    if (probe.includes('\u0000')) return 'the file looks binary';
    if (document.uri.scheme === 'file' && this.deps.isExcluded(document.uri)) return 'the file is excluded (infill.exclude, files.exclude, .gitignore or a secret file)';
    return undefined;
  }

  private logSkipOnce(document: vscode.TextDocument, reason: string): void {
    // Inactive (off, snoozed, language off) is visible in the status bar; not worth a log line.
    if (reason === 'inactive' || reason === 'scheme') return;
    const key = `${document.uri.toString()}|${reason}`;
    if (this.skipLogged.has(key)) return;
    if (this.skipLogged.size > 500) this.skipLogged.clear();
    this.skipLogged.add(key);
    this.deps.log.info(`No completions in ${relativePathOf(document)}: ${reason}.`);
  }
}
