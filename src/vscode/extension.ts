// Infill's entry point in VS Code: wires settings, log, status bar, controls, the completion engine and the
// inline completion provider. Everything that is not VS Code glue lives in the plain-TypeScript stages.
import * as path from 'path';
import * as vscode from 'vscode';
import { maskCredentials } from '../util/url';
import type { InfillConfig } from '../config/types';
import { CompletionEngine, type EngineStatus } from '../pipeline/engine';
import { decideMultiline } from '../decisions';
import { createPostprocessor } from '../postprocess';
import { setGrammarDirectory } from '../syntax/parser';
import { registerCheckSetup } from './checkSetupCommand';
import { registerGenerationCommands } from './commands';
import { Controls } from './controls';
import { createServices } from './extensionServices';
import { createVscodeContextProvider } from './contextAdapter';
import { InfillInlineProvider, snapshotOf } from './provider';
import { Settings, type WarningNotifier } from './settings';
import { registerStatistics } from './statistics';
import { InfillStatusBar, type StatusSnapshot } from './statusBar';
import type { LastRequestFigures } from './statusFormat';
import { errorMessage } from '../util/errors';

/** What activate() returns; the integration tests read it. */
export interface InfillApi {
  status(): StatusSnapshot;
  /** The settings in effect (after the user-only rules). */
  config(): InfillConfig;
}

export function activate(context: vscode.ExtensionContext): InfillApi {
  // The bundle (dist/extension.js) finds its grammars next to it in the installed extension.
  setGrammarDirectory(path.join(context.extensionPath, 'grammars'));
  const testMode = process.env.INFILL_TEST === '1';
  const channel = vscode.window.createOutputChannel('Infill', { log: true });
  const recentLog: string[] = [];
  const masked = maskingLog(channel);
  const log = testMode ? recordingLog(masked, recentLog) : masked;
  const notifications: string[] = [];
  const settings = new Settings(log, testMode ? recordingWarnings(notifications) : undefined);
  const config = () => settings.current();
  const status = new InfillStatusBar(config);
  const controls = new Controls({ context, log, config, status, acceptKeyArgument: testMode });
  const services = createServices({ context, log, config, status });
  const workspaceContext = createVscodeContextProvider(context, config, log);

  const engine = new CompletionEngine({
    config,
    backend: () => services.backend(),
    template: signal => services.resolveTemplate(signal),
    context: workspaceContext.provider,
    postprocessor: createPostprocessor(),
    decideMultiline,
    log,
    repoName: vscode.workspace.name,
  });
  const unsubscribeStatus = engine.onStatus(s => status.setPipeline(s.state, s.reason, statusTimings(s)));
  const unsubscribeGrew = showWhenGrown(engine);

  const statistics = registerStatistics({
    context, log, config, testMode,
    onRequest: listener => engine.onRequest(listener),
    isActiveFor: languageId => controls.isActiveFor(languageId),
  });

  const provider = new InfillInlineProvider({
    engine,
    config,
    isActiveFor: languageId => controls.isActiveFor(languageId),
    isExcluded: uri => workspaceContext.isExcluded(uri),
    log,
    reportError: (error, during) => services.reportError(error, during),
    fileNote: (uri, reason) => status.setFileNote(uri, reason),
    onShown: item => statistics.shown(item),
  });

  context.subscriptions.push(
    channel, settings, status, services, statistics,
    ...controls.register(),
    registerCheckSetup({ log, services, onModelReady: () => { services.invalidate(); engine.reset(); } }),
    vscode.languages.registerInlineCompletionItemProvider(
      [{ scheme: 'file', pattern: '**' }, { scheme: 'untitled' }],
      provider,
    ),
    settings.onDidChange(() => {
      // New endpoint, model or budgets: nothing cached or failed before applies any more.
      services.invalidate();
      engine.reset();
      status.clearError();
    }),
    { dispose: () => { unsubscribeStatus(); unsubscribeGrew(); engine.dispose(); } },
  );

  registerGenerationCommands(context, services);

  const api: InfillApi = { status: () => status.snapshot(), config };
  if (testMode) {
    // Test-only window into the adapter's state; not registered in normal use.
    context.subscriptions.push(vscode.commands.registerCommand('infill._testState', () => ({
      status: api.status(), config: api.config(), log: recentLog.slice(-200), notifications: [...notifications],
    })));
  }
  const c = config();
  log.info(`Infill ${context.extension.packageJSON.version} active: ${c.backend} at ${c.endpoint}, model ${c.model}.`);
  return api;
}

/**
 * A suggestion shown by its first lines has arrived whole: ask VS Code to show it, if the user's text still
 * leads into it (otherwise the next keystroke asks anyway, and a trigger would only cost a request).
 */
function showWhenGrown(engine: CompletionEngine): () => void {
  return engine.onSuggestionGrew(({ editorId }) => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.toString() !== editorId || !editor.selection.isEmpty) return;
    const active = editor.selection.active;
    if (!engine.hasSuggestionAt(snapshotOf(editor.document), { line: active.line, character: active.character }, editorId)) return;
    void vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

function statusTimings(s: EngineStatus): LastRequestFigures | undefined {
  const t = s.timings;
  return t ? { ttftMs: t.ttftMs, totalMs: t.totalMs, tokens: t.tokens } : undefined;
}

/** Test mode: warning notifications from the settings are shown and also kept for the integration tests. */
function recordingWarnings(shown: string[]): WarningNotifier {
  return (message, ...actions) => {
    shown.push(message);
    return vscode.window.showWarningMessage(message, ...actions);
  };
}

/**
 * The channel with `rewrite` applied to every message its logging methods get (`levels`); getters and other
 * methods run on the channel itself (its implementation may keep private state).
 */
function rewritingLog(channel: vscode.LogOutputChannel, levels: string[], rewrite: (message: unknown, level: string) => unknown): vscode.LogOutputChannel {
  const logging = new Set(levels);
  return new Proxy(channel, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      if (typeof prop !== 'string' || !logging.has(prop)) return value.bind(target);
      return (message: unknown, ...args: unknown[]) => (value as (...a: unknown[]) => void).call(target, rewrite(message, prop), ...args);
    },
  });
}

/** The channel with credentials in URLs (`http://user:pass@host`) masked in every line, whoever writes it. */
function maskingLog(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  return rewritingLog(channel, ['trace', 'debug', 'info', 'warn', 'error', 'appendLine', 'append'], maskedMessage);
}

function maskedMessage(message: unknown): string | Error {
  if (!(message instanceof Error)) return maskCredentials(String(message));
  const copy = new Error(maskCredentials(message.message));
  copy.name = message.name;
  copy.stack = maskCredentials(message.stack ?? '');
  return copy;
}

/** Test mode: the log channel, also keeping every line (all levels) for the integration tests' diagnostics. */
function recordingLog(channel: vscode.LogOutputChannel, lines: string[]): vscode.LogOutputChannel {
  return rewritingLog(channel, ['trace', 'debug', 'info', 'warn', 'error'], (message, level) => {
    lines.push(`${new Date().toISOString().slice(11, 23)} [${level}] ${errorMessage(message)}`);
    if (lines.length > 1000) lines.splice(0, lines.length - 500);
    return message;
  });
}
