// The statistics feature in VS Code: the recorder, the view and the Show / Export / Clear commands.
import * as vscode from 'vscode';
import { dayOf } from '../../stats/record';
import { exportCsv, exportJson } from '../../stats/export';
import type { ViewAction } from '../../stats/viewProtocol';
import type { ShownItem } from '../provider';
import { StatisticsRecorder, type RecorderDeps } from './recorder';
import { StatisticsView } from './view';

export interface StatisticsDeps extends RecorderDeps {
  /** Tests pass command arguments instead of answering dialogs (export target, clear confirmation). */
  testMode: boolean;
}

export interface Statistics extends vscode.Disposable {
  /** For the provider: count a suggestion shown and return its accept command. */
  shown(item: ShownItem): vscode.Command | undefined;
}

export function registerStatistics(deps: StatisticsDeps): Statistics {
  const recorder = new StatisticsRecorder(deps);
  const run = (action: ViewAction) => {
    const command = action === 'clear' ? 'infill.clearStatistics' : 'infill.exportStatistics';
    void vscode.commands.executeCommand(command, action === 'clear' ? undefined : { format: action === 'exportJson' ? 'json' : 'csv' });
  };
  const view = new StatisticsView({ context: deps.context, recorder, config: deps.config, runAction: run });
  const subscriptions: vscode.Disposable[] = [
    view,
    recorder,
    vscode.commands.registerCommand('infill.showStatistics', () => view.show()),
    vscode.commands.registerCommand('infill.exportStatistics', (args?: unknown) => exportStatistics(recorder, deps.testMode ? args : filterFormat(args))),
    vscode.commands.registerCommand('infill.clearStatistics', async (args?: unknown) => {
      const confirmed = deps.testMode && (args as { confirmed?: unknown } | undefined)?.confirmed === true;
      if (!confirmed) {
        const answer = await vscode.window.showWarningMessage(
          'Clear all Infill statistics? The counts and timings of every day are deleted; this cannot be undone.',
          { modal: true }, 'Clear');
        if (answer !== 'Clear') return false;
      }
      await recorder.store.clear();
      view.refresh();
      return true;
    }),
  ];
  if (deps.testMode) {
    // Test-only: what the open statistics view shows, as its page read it from its own DOM.
    subscriptions.push(vscode.commands.registerCommand('infill._statisticsRendered', () => view.lastRendered));
  }
  return {
    shown: item => recorder.shown(item),
    dispose: () => { for (const d of subscriptions) d.dispose(); },
  };
}

/** Outside tests only the format may be given (by the view's buttons); the target is always asked. */
function filterFormat(args: unknown): unknown {
  const format = (args as { format?: unknown } | undefined)?.format;
  return format === 'json' || format === 'csv' ? { format } : undefined;
}

async function exportStatistics(recorder: StatisticsRecorder, args: unknown): Promise<string | undefined> {
  const given = (args ?? {}) as { format?: unknown; path?: unknown };
  let format = given.format === 'json' || given.format === 'csv' ? given.format : undefined;
  if (!format) {
    const pick = await vscode.window.showQuickPick(
      [{ label: 'CSV', description: 'one line per day, language and model', format: 'csv' as const },
        { label: 'JSON', description: 'the record as stored', format: 'json' as const }],
      { title: 'Export Infill statistics as' });
    if (!pick) return undefined;
    format = pick.format;
  }
  await recorder.flush();
  const target = typeof given.path === 'string'
    ? vscode.Uri.file(given.path)
    : await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()), `infill-statistics-${dayOf(Date.now())}.${format}`),
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      title: 'Export Infill statistics',
    });
  if (!target) return undefined;
  const text = format === 'csv' ? exportCsv(recorder.store.rows()) : exportJson(recorder.store.content());
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  if (typeof given.path !== 'string') void vscode.window.showInformationMessage(`Infill statistics exported to ${target.fsPath}.`);
  return target.fsPath;
}
