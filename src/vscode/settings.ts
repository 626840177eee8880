// Reads `infill.*` into an InfillConfig (rules in settingsRules.ts). Endpoint, backend and model are taken from
// the user's settings only: package.json scopes them "machine", and here we read them with inspect() and ignore
// workspace values anyway, warning once when a workspace tries to set them.
import * as vscode from 'vscode';
import type { InfillConfig } from '../config/types';
import { resolveSettings, userOnlyKeysIn, type InspectedValue } from './settingsRules';

export const SECTION = 'infill';

export class Settings implements vscode.Disposable {
  private cached: InfillConfig | undefined;
  private readonly warned = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<InfillConfig>();
  /** Fires after `infill.*` settings changed, with the new values. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscriptions.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration(e => {
        if (!e.affectsConfiguration(SECTION)) return;
        this.cached = undefined;
        this.changed.fire(this.current());
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.scanWorkspaceSettings()),
    );
    void this.scanWorkspaceSettings();
  }

  /** The current settings (cached until they change). */
  current(): InfillConfig {
    if (this.cached) return this.cached;
    const section = vscode.workspace.getConfiguration(SECTION);
    const { config, ignored, invalid } = resolveSettings(
      key => section.get(key),
      key => section.inspect(key) as InspectedValue | undefined,
    );
    for (const { key, scope } of ignored) {
      this.warnOnce(`${scope}:${key}`, `Ignoring infill.${key} from the ${scope === 'workspace' ? 'workspace' : 'workspace folder'} ` +
        `settings: the endpoint, backend and model are only read from your user settings, so a project cannot send your code elsewhere.`);
    }
    for (const message of invalid) this.warnOnce(`invalid:${message}`, `Setting ${message}.`);
    this.cached = config;
    return config;
  }

  /**
   * VS Code drops machine-scoped values from workspace settings before inspect() sees them, so we also look at
   * each folder's .vscode/settings.json to tell the user why those values have no effect.
   */
  private async scanWorkspaceSettings(): Promise<void> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
      try {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        for (const key of userOnlyKeysIn(text)) {
          this.warnOnce(`file:${uri.toString()}:${key}`, `Ignoring infill.${key} in ${uri.fsPath}: the endpoint, backend and ` +
            `model are only read from your user settings, so a project cannot send your code elsewhere.`);
        }
      } catch {
        // No workspace settings file: nothing to warn about.
      }
    }
  }

  private warnOnce(id: string, message: string): void {
    if (this.warned.has(id)) return;
    this.warned.add(id);
    this.log.warn(message);
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
