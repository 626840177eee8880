// Feeds the statistics record from VS Code: suggestions the provider shows (with the command VS Code runs when
// one is accepted whole), document changes (typing, partial accepts), and the engine's finished requests.
// The record sits in the extension's global storage (statistics.json) and is written in the background.
import * as path from 'path';
import * as vscode from 'vscode';
import type { InfillConfig } from '../../config/types';
import type { RequestRecord } from '../../pipeline/engine';
import { estimateTokens } from '../../prompt/tokens';
import { nodeStatsFile } from '../../stats/nodeFile';
import type { StatsEvent } from '../../stats/record';
import { StatsStore } from '../../stats/store';
import { SuggestionTracker } from '../../stats/tracker';
import type { ShownItem } from '../provider';
import { errorMessage } from '../../util/errors';

/** The command an accepted item runs (internal: not in the command palette). */
export const ACCEPTED_COMMAND = 'infill._suggestionAccepted';
export const STATISTICS_FILE = 'statistics.json';

export interface RecorderDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  config(): InfillConfig;
  /** The engine's finished requests. Returns an unsubscribe function. */
  onRequest(listener: (record: RequestRecord) => void): () => void;
  /** Completion is on for this language (typing elsewhere is not counted). */
  isActiveFor(languageId: string): boolean;
}

export class StatisticsRecorder implements vscode.Disposable {
  readonly store: StatsStore;
  readonly filePath: string;
  private readonly tracker: SuggestionTracker;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires (at most every second) after something was recorded. */
  readonly onDidChange = this.changed.event;
  private changeTimer: ReturnType<typeof setTimeout> | undefined;
  private failureLogged = false;

  constructor(private readonly deps: RecorderDeps) {
    this.filePath = path.join(deps.context.globalStorageUri.fsPath, STATISTICS_FILE);
    this.store = new StatsStore({ file: nodeStatsFile(this.filePath), onError: err => this.logFailure(err) });
    this.store.load().catch(err => this.logFailure(err));
    this.tracker = new SuggestionTracker(event => this.record(event));
    const unsubscribe = deps.onRequest(record => this.guard(() => this.requestEnded(record)));
    this.subscriptions.push(
      this.changed,
      { dispose: unsubscribe },
      vscode.commands.registerCommand(ACCEPTED_COMMAND, (id: unknown) => {
        if (typeof id === 'number') this.guard(() => this.tracker.accepted(id, Date.now()));
      }),
      vscode.workspace.onDidChangeTextDocument(e => this.guard(() => this.documentChanged(e))),
      vscode.window.onDidChangeActiveTextEditor(editor => this.guard(() => this.tracker.focusMoved(editor?.document.uri.toString(), Date.now()))),
      vscode.workspace.onDidCloseTextDocument(doc => this.guard(() => this.tracker.closed(doc.uri.toString(), Date.now()))),
    );
  }

  /** Recording is on (setting infill.recordStatistics). */
  get enabled(): boolean {
    return this.deps.config().recordStatistics;
  }

  /** The provider is about to show `item`: count it, and return the command its accept runs. */
  shown(item: ShownItem): vscode.Command | undefined {
    if (!this.enabled) return undefined;
    return this.guard(() => {
      const { document, position, suggestion } = item;
      const source = suggestion.source === 'cache' || suggestion.source === 'typed-through' ? suggestion.source : 'model';
      const id = this.tracker.shown({
        editorId: document.uri.toString(), language: document.languageId, model: this.deps.config().model,
        text: suggestion.text ?? suggestion.insertText, insertText: suggestion.insertText,
        line: position.line, character: position.character, source, requestId: suggestion.requestId ?? 0,
        waitedMs: item.waitedMs, at: Date.now(),
      });
      return { command: ACCEPTED_COMMAND, title: 'Infill: suggestion accepted', arguments: [id] };
    });
  }

  flush(): Promise<void> {
    return this.store.flush().catch(() => { /* logged by the store's onError */ });
  }

  dispose(): void {
    if (this.changeTimer) clearTimeout(this.changeTimer);
    void this.flush();
    for (const d of this.subscriptions) d.dispose();
  }

  private record(event: StatsEvent): void {
    if (!this.enabled) return;
    this.store.record(event);
    this.changeTimer ??= setTimeout(() => { this.changeTimer = undefined; this.changed.fire(); }, 1000);
  }

  private documentChanged(e: vscode.TextDocumentChangeEvent): void {
    const doc = e.document;
    if (!this.enabled || e.contentChanges.length === 0 || e.reason !== undefined) return; // undo/redo is not typing
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return;
    if (!this.deps.isActiveFor(doc.languageId)) return;
    this.tracker.edited({
      editorId: doc.uri.toString(), language: doc.languageId, model: this.deps.config().model, at: Date.now(),
      changes: e.contentChanges.map(c => ({ line: c.range.start.line, character: c.range.start.character, rangeLength: c.rangeLength, text: c.text })),
    });
  }

  private requestEnded(record: RequestRecord): void {
    const language = vscode.workspace.textDocuments.find(d => d.uri.toString() === record.uri)?.languageId ?? 'unknown';
    const outcome = record.outcome === 'done' ? 'finished' : record.outcome === 'early-stop' ? 'early-stop'
      : record.outcome === 'aborted' ? 'cancelled' : 'failed';
    const t = record.timings;
    this.record({
      kind: 'request', language, model: record.request?.model ?? this.deps.config().model, at: Date.now(), outcome,
      timings: t && {
        ttftMs: t.ttftMs, promptTokens: t.promptTokens, cachedPromptTokens: t.cachedPromptTokens, tokens: t.tokens, server: t.server,
        prefixTokens: record.request ? estimateTokens(record.request.prefix, language) : undefined,
      },
    });
  }

  /** Statistics never get in the way of completion: a failure here is logged once and otherwise ignored. */
  private guard<T>(run: () => T): T | undefined {
    try {
      return run();
    } catch (err) {
      this.logFailure(err);
      return undefined;
    }
  }

  private logFailure(err: unknown): void {
    if (this.failureLogged) return;
    this.failureLogged = true;
    this.deps.log.warn(`Infill statistics: ${errorMessage(err)} (recording goes on; reported once)`);
  }
}
