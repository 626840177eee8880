// The status bar item: idle / working / error (with its reason), off or snoozed; the tooltip shows the last
// request's timings; a click opens the Infill menu (infill.statusMenu).
import * as vscode from 'vscode';
import type { InfillConfig } from '../config/types';
import { languageName } from './controls';
import { plainMessage, statusText, statusTooltip, type LastRequestFigures, type StatusKind, type StatusView } from './statusFormat';

/** What the pipeline last reported. */
export type PipelineStatus = 'idle' | 'working' | 'error';

/** The item's state as tests and the menu see it. */
export interface StatusSnapshot {
  kind: StatusKind;
  text: string;
  tooltip: string;
  reason?: string;
  last?: LastRequestFigures;
}

export class InfillStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private pipeline: PipelineStatus = 'idle';
  private reason: string | undefined;
  private last: LastRequestFigures | undefined;
  private snoozedUntil: number | undefined;
  private fileNote: { uri: string; reason: string } | undefined;
  private readonly ticker: ReturnType<typeof setInterval>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<StatusSnapshot>();
  /** Fires after every visible change (tests wait on it). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly config: () => InfillConfig, private readonly now: () => number = Date.now) {
    this.item = vscode.window.createStatusBarItem('infill.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Infill';
    this.item.command = 'infill.statusMenu';
    // Keeps the snooze countdown current and ends an expired snooze even when nothing else happens.
    this.ticker = setInterval(() => this.render(), 30_000);
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      this.changed,
    );
    this.render();
    this.item.show();
  }

  /** The pipeline's state. An error stays until the next successful request (or a settings change). */
  setPipeline(status: PipelineStatus, reason?: string, timings?: LastRequestFigures): void {
    this.pipeline = status;
    this.reason = status === 'error' ? reason : undefined;
    if (timings) this.last = timings;
    this.render();
  }

  /** Why the document `uri` gets no completion (undefined: it does). Shown while that document is active. */
  setFileNote(uri: string, reason: string | undefined): void {
    const current = this.fileNote;
    if (reason === undefined ? current?.uri !== uri : current?.uri === uri && current.reason === reason) return;
    this.fileNote = reason === undefined ? undefined : { uri, reason };
    this.render();
  }

  /** Settings changed: the user may have fixed what failed, so show the error again only if it recurs. */
  clearError(): void {
    if (this.pipeline === 'error') this.setPipeline('idle');
    else this.render();
  }

  snooze(until: number | undefined): void {
    this.snoozedUntil = until;
    this.render();
  }

  isSnoozed(): boolean {
    return this.snoozedUntil !== undefined && this.snoozedUntil > this.now();
  }

  get snoozeEnd(): number | undefined {
    return this.isSnoozed() ? this.snoozedUntil : undefined;
  }

  snapshot(): StatusSnapshot {
    const view = this.view();
    const now = this.now();
    return { kind: view.kind, text: statusText(view, now), tooltip: statusTooltip(view, now), reason: view.reason, last: this.last };
  }

  private view(): StatusView {
    const config = this.config();
    if (this.snoozedUntil !== undefined && this.snoozedUntil <= this.now()) this.snoozedUntil = undefined;
    const language = vscode.window.activeTextEditor?.document.languageId;
    const languageOff = language && config.disabledLanguages.includes(language) ? languageName(language) : undefined;
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    const fileNote = this.fileNote && this.fileNote.uri === active ? this.fileNote.reason : undefined;
    const base = { model: config.model, endpoint: config.endpoint, last: this.last, languageOff, fileNote };
    if (!config.enabled) return { ...base, kind: 'disabled', reason: 'turned off in settings' };
    if (this.snoozedUntil !== undefined) return { ...base, kind: 'snoozed', snoozedUntil: this.snoozedUntil };
    if (languageOff && this.pipeline !== 'error') return { ...base, kind: 'disabled', reason: `off for ${languageOff} files` };
    return { ...base, kind: this.pipeline, reason: this.reason };
  }

  render(): void {
    const view = this.view();
    const now = this.now();
    this.item.text = statusText(view, now);
    const tooltip = new vscode.MarkdownString(statusTooltip(view, now));
    tooltip.supportThemeIcons = true;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = view.kind === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.accessibilityInformation = { label: `Infill: ${view.kind}${view.reason ? ', ' + plainMessage(view.reason) : ''}` };
    this.changed.fire(this.snapshot());
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.item.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}
