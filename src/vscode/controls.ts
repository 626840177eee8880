// The user's controls: enable/disable (globally and per language), snooze, show log, set API key, and the
// status bar menu that offers them all. Check Setup lives in checkSetupCommand.ts.
import * as vscode from 'vscode';
import type { InfillConfig } from '../config/types';
import { maskCredentials } from '../util/url';
import { languageDisplayName, languageNamesFrom, type LanguageContribution } from './languageNames';
import { openInfillSettings, SECTION } from './settings';
import type { InfillStatusBar } from './statusBar';
import { plainMessage, timingsLine } from './statusFormat';

export const API_KEY_SECRET = 'infill.apiKey';
export const SNOOZE_MINUTES = 15;
const SNOOZE_STATE_KEY = 'infill.snoozedUntil';

export interface ControlDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  config(): InfillConfig;
  status: InfillStatusBar;
  /** Integration tests only: infill.setApiKey takes the key as an argument instead of asking. */
  acceptKeyArgument?: boolean;
}

let languageNames: Map<string, string> | undefined;

/** "TypeScript" for `typescript`: the name VS Code shows, from the extensions that contribute the language. */
export function languageName(languageId: string): string {
  if (!languageNames) {
    const contributions = vscode.extensions.all.flatMap(
      ext => (ext.packageJSON?.contributes?.languages ?? []) as LanguageContribution[]);
    languageNames = languageNamesFrom(contributions);
    // Built once per session; an extension installed later may bring new languages.
    const listener = vscode.extensions.onDidChange(() => { languageNames = undefined; listener.dispose(); });
  }
  return languageDisplayName(languageId, languageNames);
}

export class Controls {
  constructor(private readonly deps: ControlDeps) {
    // A snooze survives a window reload, not longer than it was meant to last.
    const until = deps.context.globalState.get<number>(SNOOZE_STATE_KEY);
    if (until && until > Date.now()) deps.status.snooze(until);
  }

  register(): vscode.Disposable[] {
    const cmd = (id: string, fn: (...args: any[]) => unknown) => vscode.commands.registerCommand(id, fn);
    return [
      cmd('infill.toggle', () => this.toggleGlobal()),
      cmd('infill.toggleLanguage', (languageId?: string) => this.toggleLanguage(languageId)),
      cmd('infill.snooze', () => this.toggleSnooze()),
      cmd('infill.showLog', () => this.deps.log.show(true)),
      cmd('infill.setApiKey', (key?: unknown) => this.setApiKey(this.deps.acceptKeyArgument && typeof key === 'string' ? key : undefined)),
      cmd('infill.statusMenu', () => this.showMenu()),
    ];
  }

  /** True when ghost text may be shown for this language right now. */
  isActiveFor(languageId: string): boolean {
    const config = this.deps.config();
    return config.enabled && !this.deps.status.isSnoozed() && !config.disabledLanguages.includes(languageId);
  }

  async toggleGlobal(): Promise<void> {
    const enabled = !this.deps.config().enabled;
    await vscode.workspace.getConfiguration(SECTION).update('enabled', enabled, vscode.ConfigurationTarget.Global);
    this.deps.log.info(`Completions ${enabled ? 'enabled' : 'disabled'} (user setting infill.enabled).`);
  }

  async toggleLanguage(languageId = vscode.window.activeTextEditor?.document.languageId): Promise<void> {
    if (!languageId) {
      void vscode.window.showInformationMessage('Infill: open a file first to turn completions on or off for its language.');
      return;
    }
    const current = this.deps.config().disabledLanguages;
    const off = current.includes(languageId);
    const next = off ? current.filter(l => l !== languageId) : [...current, languageId];
    await vscode.workspace.getConfiguration(SECTION).update('disabledLanguages', next, vscode.ConfigurationTarget.Global);
    this.deps.log.info(`Completions ${off ? 'enabled' : 'disabled'} for ${languageName(languageId)} (${languageId}).`);
  }

  async toggleSnooze(): Promise<void> {
    const until = this.deps.status.isSnoozed() ? undefined : Date.now() + SNOOZE_MINUTES * 60_000;
    this.deps.status.snooze(until);
    await this.deps.context.globalState.update(SNOOZE_STATE_KEY, until);
    this.deps.log.info(until ? `Snoozed until ${new Date(until).toLocaleTimeString()}.` : 'Snooze ended.');
  }

  /** Stores the key in SecretStorage only (never in settings); an empty input removes it. */
  async setApiKey(given?: string): Promise<void> {
    const existing = await this.deps.context.secrets.get(API_KEY_SECRET);
    const key = given ?? await vscode.window.showInputBox({
      title: 'Infill: API key',
      prompt: 'Sent as "Authorization: Bearer <key>" to infill.endpoint only (Codestral, DeepSeek, an OpenAI-compatible or llama.cpp server). ' +
        'Stored in VS Code\'s secret storage. Leave empty to remove it.',
      password: true,
      ignoreFocusOut: true,
      placeHolder: existing ? 'A key is set: enter a new one, or leave empty to remove it' : 'sk-...',
    });
    if (key === undefined) return;
    if (key.trim() === '') {
      await this.deps.context.secrets.delete(API_KEY_SECRET);
      this.deps.log.info('API key removed from secret storage.');
      void vscode.window.showInformationMessage('Infill: API key removed.');
    } else {
      await this.deps.context.secrets.store(API_KEY_SECRET, key.trim());
      this.deps.log.info('API key saved in secret storage.');
      void vscode.window.showInformationMessage('Infill: API key saved in secret storage.');
    }
  }

  async showMenu(): Promise<void> {
    const config = this.deps.config();
    const language = vscode.window.activeTextEditor?.document.languageId;
    type Item = vscode.QuickPickItem & { run?: () => unknown };
    const snoozed = this.deps.status.isSnoozed();
    const items: Item[] = [
      config.enabled
        ? { label: '$(circle-slash) Disable completions', description: 'everywhere', run: () => this.toggleGlobal() }
        : { label: '$(check) Enable completions', description: 'everywhere', run: () => this.toggleGlobal() },
    ];
    if (language) {
      const off = config.disabledLanguages.includes(language);
      const name = languageName(language);
      items.push({
        label: off ? `$(check) Enable for ${name}` : `$(circle-slash) Disable for ${name}`,
        run: () => this.toggleLanguage(language),
      });
    }
    items.push(
      snoozed
        ? { label: '$(play) Resume completions', description: 'end the snooze', run: () => this.toggleSnooze() }
        : { label: `$(clock) Snooze for ${SNOOZE_MINUTES} minutes`, run: () => this.toggleSnooze() },
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(pulse) Check setup', description: `${config.model} at ${maskCredentials(config.endpoint)}`, run: () => vscode.commands.executeCommand('infill.checkSetup') },
      { label: '$(graph) Show statistics', description: 'acceptance, waiting times, server speed', run: () => vscode.commands.executeCommand('infill.showStatistics') },
      { label: '$(output) Show log', run: () => this.deps.log.show(true) },
      { label: '$(key) Set API key', description: 'for Codestral, DeepSeek, OpenAI-compatible or llama.cpp servers', run: () => this.setApiKey() },
      { label: '$(gear) Open settings', description: vscode.env.remoteName ? 'Remote settings' : undefined, run: () => openInfillSettings() },
    );
    const snapshot = this.deps.status.snapshot();
    const picked = await vscode.window.showQuickPick(items, {
      title: `Infill: ${snapshot.kind}${snapshot.reason ? ' — ' + plainMessage(snapshot.reason) : ''}`,
      placeHolder: snapshot.last ? `Last request: ${timingsLine(snapshot.last) ?? '–'}` : 'Choose an action',
    });
    await picked?.run?.();
  }
}
