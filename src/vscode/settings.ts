// Reads `infill.*` into an InfillConfig (rules in settingsRules.ts), again after every change, so a new endpoint,
// backend or model applies to the next request without a reload. Those three are scoped "machine" in package.json:
// VS Code reads them from the user settings, or in a remote window from the remote's settings only, and never
// from a workspace. We read them with inspect() the same way, and tell the user once per session (a notification)
// when a workspace tries to set them.
import * as vscode from 'vscode';
import type { InfillConfig } from '../config/types';
import {
  OverrideNotices, resolveSettings, settingsCommand, userOnlyKeysIn, type InspectedValue, type OverrideAttempt,
} from './settingsRules';

export const SECTION = 'infill';
export const EXTENSION_ID = 'infill.infill';

/** Shows a warning notification with buttons; resolves with the button chosen. */
export type WarningNotifier = (message: string, ...actions: string[]) => Thenable<string | undefined>;

/** Opens Infill's settings where this window keeps its machine-scoped settings (the Remote tab when remote). */
export function openInfillSettings(): Thenable<unknown> {
  const { command, args } = settingsCommand(vscode.env.remoteName, EXTENSION_ID);
  return vscode.commands.executeCommand(command, ...args);
}

export class Settings implements vscode.Disposable {
  private cached: InfillConfig | undefined;
  private readonly invalidLogged = new Set<string>();
  private readonly overrides = new OverrideNotices(vscode.env.remoteName);
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<InfillConfig>();
  /** Fires after `infill.*` settings changed, with the new values. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly warn: WarningNotifier = (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/settings.json');
    const rescan = () => void this.scanWorkspaceSettings();
    this.subscriptions.push(
      this.changed,
      watcher,
      watcher.onDidCreate(rescan),
      watcher.onDidChange(rescan),
      vscode.workspace.onDidChangeConfiguration(e => {
        if (!e.affectsConfiguration(SECTION)) return;
        this.cached = undefined;
        this.changed.fire(this.current());
        rescan();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(rescan),
    );
    rescan();
  }

  /** The current settings (cached until they change). */
  current(): InfillConfig {
    if (this.cached) return this.cached;
    const section = vscode.workspace.getConfiguration(SECTION);
    const { config, ignored, invalid } = resolveSettings(
      key => section.get(key),
      key => section.inspect(key) as InspectedValue | undefined,
    );
    this.overridden(ignored.map(({ key, scope }) => ({ key, where: scope === 'workspace' ? 'the workspace settings' : 'a folder\'s settings' })));
    for (const message of invalid) this.logOnce(`invalid:${message}`, `Setting ${message}.`);
    this.cached = config;
    return config;
  }

  /**
   * VS Code drops machine-scoped values from workspace settings before inspect() sees them, so we also read each
   * folder's .vscode/settings.json and the .code-workspace file to tell the user why those values have no effect.
   */
  private async scanWorkspaceSettings(): Promise<void> {
    const files = (vscode.workspace.workspaceFolders ?? []).map(folder => vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'));
    const workspaceFile = vscode.workspace.workspaceFile;
    if (workspaceFile && workspaceFile.scheme !== 'untitled') files.push(workspaceFile);
    const attempts: OverrideAttempt[] = [];
    for (const uri of files) {
      try {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        const where = vscode.workspace.asRelativePath(uri, true);
        for (const key of userOnlyKeysIn(text)) attempts.push({ key, where });
      } catch {
        // No such settings file: nothing to warn about.
      }
    }
    this.overridden(attempts);
  }

  /** Each attempt is logged once; the first ones of the session also get a notification. */
  private overridden(attempts: OverrideAttempt[]): void {
    const { log, notify } = this.overrides.report(attempts);
    if (log) this.log.warn(log);
    if (!notify) return;
    void Promise.resolve(this.warn(notify, 'Open Settings')).then(choice => {
      if (choice === 'Open Settings') void openInfillSettings();
    });
  }

  private logOnce(id: string, message: string): void {
    if (this.invalidLogged.has(id)) return;
    this.invalidLogged.add(id);
    this.log.warn(message);
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
