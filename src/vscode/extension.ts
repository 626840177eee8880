// Infill's entry point in VS Code: wires settings, log, status bar, controls and the inline completion provider.
import * as path from 'path';
import * as vscode from 'vscode';
import { setGrammarDirectory } from '../syntax/parser';
import { registerGenerationCommands } from './commands';
import { Controls } from './controls';
import { Settings } from './settings';
import { InfillStatusBar, type StatusSnapshot } from './statusBar';

/** What activate() returns; the integration tests read it. */
export interface InfillApi {
  status(): StatusSnapshot;
}

export function activate(context: vscode.ExtensionContext): InfillApi {
  // The bundle (dist/extension.js) finds its grammars next to it in the installed extension.
  setGrammarDirectory(path.join(context.extensionPath, 'grammars'));
  const log = vscode.window.createOutputChannel('Infill', { log: true });
  const settings = new Settings(log);
  const status = new InfillStatusBar(() => settings.current());
  const controls = new Controls({ context, log, config: () => settings.current(), status });
  context.subscriptions.push(log, settings, status, ...controls.register());
  context.subscriptions.push(settings.onDidChange(() => status.clearError()));

  registerGenerationCommands(context, undefined as never);

  const api: InfillApi = { status: () => status.snapshot() };
  if (process.env.INFILL_TEST === '1') {
    // Test-only window into the adapter's state; not registered in normal use.
    context.subscriptions.push(vscode.commands.registerCommand('infill._testState', () => api.status()));
  }
  const config = settings.current();
  log.info(`Infill active: ${config.backend} at ${config.endpoint}, model ${config.model}.`);
  return api;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
