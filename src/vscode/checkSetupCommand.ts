// "Infill: Check Setup": reaches the endpoint, checks the model exists and fills in the middle, times one FIM
// request, and shows the report. With Ollama and a missing model it offers to pull it, with a cancellable
// progress notification driven by the pull stream.
import * as vscode from 'vscode';
import type { Backend, PullProgress } from '../backend/types';
import { isAbortError } from '../util/abort';
import type { ExtensionServices } from './services';

/** The parts of a setup check the command shows. */
export interface SetupReport {
  /** Everything works: a FIM request came back. */
  ok: boolean;
  /** One line per step, in order, for the log and the detail of the message. */
  lines: string[];
  /** The headline: what works, or the first thing to fix. */
  summary: string;
  /** Ollama answered but does not have the model: offer to pull it. */
  modelMissing: boolean;
}

export type SetupChecker = (services: ExtensionServices, signal: AbortSignal) => Promise<SetupReport>;

export interface CheckSetupDeps {
  log: vscode.LogOutputChannel;
  services: ExtensionServices;
  /** Runs the check; default: the pipeline's checkSetup. */
  check?: SetupChecker;
  /** A model was pulled: forget cached templates and failures. */
  onModelReady(): void;
}

/** Registers infill.checkSetup. The command returns the report (tests and the menu use it). */
export function registerCheckSetup(deps: CheckSetupDeps): vscode.Disposable {
  return vscode.commands.registerCommand('infill.checkSetup', (options?: { quiet?: boolean }) => checkSetup(deps, options?.quiet ?? false));
}

async function checkSetup(deps: CheckSetupDeps, quiet: boolean): Promise<SetupReport | undefined> {
  const { log, services } = deps;
  const config = services.config();
  const check = deps.check ?? basicSetupCheck;
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Infill: checking ${config.model} at ${config.endpoint}…`, cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      const listener = token.onCancellationRequested(() => controller.abort());
      try {
        return await check(services, controller.signal);
      } catch (err) {
        if (isAbortError(err)) return undefined;
        const message = err instanceof Error ? err.message : String(err);
        return { ok: false, lines: [message], summary: message, modelMissing: false };
      } finally {
        listener.dispose();
      }
    },
  );
  if (!report) return undefined;
  log.info(`Check setup: ${report.summary}`);
  for (const line of report.lines) log.info(`  ${line}`);
  if (quiet) return report;

  const actions: string[] = [];
  const canPull = report.modelMissing && config.backend === 'ollama';
  if (canPull) actions.push(`Pull ${config.model}`);
  actions.push('Show Log');
  // Not modal: the user keeps typing while the message waits. The detail goes to the log.
  const choice = report.ok
    ? await vscode.window.showInformationMessage(`Infill: ${report.summary}`, ...actions)
    : await vscode.window.showWarningMessage(`Infill: ${report.summary}`, ...actions);
  if (choice === 'Show Log') log.show(true);
  if (canPull && choice === `Pull ${config.model}`) {
    const pulled = await pullModel(log, await services.backend(), config.model);
    if (pulled) {
      deps.onModelReady();
      return checkSetup(deps, quiet);
    }
  }
  return report;
}

/** Pulls an Ollama model with a cancellable progress notification. True when the model is there afterwards. */
export async function pullModel(log: vscode.LogOutputChannel, backend: Backend, model: string): Promise<boolean> {
  if (!backend.pull) {
    void vscode.window.showWarningMessage(`Infill: ${backend.kind} cannot download models; install "${model}" on the server yourself.`);
    return false;
  }
  const pull = backend.pull.bind(backend);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Infill: pulling ${model}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const listener = token.onCancellationRequested(() => controller.abort());
      const meter = new PullMeter();
      try {
        await pull(model, p => {
          const step = meter.update(p);
          progress.report(step);
          if (step.logLine) log.debug(`pull ${model}: ${step.logLine}`);
        }, controller.signal);
        log.info(`Pulled ${model}.`);
        void vscode.window.showInformationMessage(`Infill: ${model} is ready.`);
        return true;
      } catch (err) {
        if (token.isCancellationRequested || isAbortError(err)) {
          log.info(`Pull of ${model} cancelled.`);
          return false;
        }
        const message = err instanceof Error ? err.message : String(err);
        log.error(`Pull of ${model} failed: ${message}`);
        void vscode.window.showErrorMessage(`Infill: pulling ${model} failed: ${message}`);
        return false;
      } finally {
        listener.dispose();
      }
    },
  );
}

/**
 * Turns Ollama's pull stream (one status per layer, each with completed/total bytes) into progress steps:
 * the bar follows the bytes of all layers seen so far and never moves back.
 */
export class PullMeter {
  private readonly layers = new Map<string, { completed: number; total: number }>();
  private shownPercent = 0;
  private lastStatus = '';

  update(p: PullProgress): { message: string; increment?: number; logLine?: string } {
    if (p.total && p.total > 0) this.layers.set(p.status, { completed: Math.min(p.completed ?? 0, p.total), total: p.total });
    let completed = 0;
    let total = 0;
    for (const layer of this.layers.values()) {
      completed += layer.completed;
      total += layer.total;
    }
    const percent = total > 0 ? Math.floor((completed / total) * 100) : 0;
    const increment = percent > this.shownPercent ? percent - this.shownPercent : undefined;
    if (increment) this.shownPercent = percent;
    const bytes = total > 0 ? ` (${formatBytes(completed)} of ${formatBytes(total)})` : '';
    const status = p.status.replace(/^pulling ([0-9a-f]{12})[0-9a-f]+/, 'pulling $1');
    const logLine = status !== this.lastStatus ? status : undefined;
    this.lastStatus = status;
    return { message: `${status}${bytes}`, increment, logLine };
  }
}

function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(0)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}

/** A minimal check (server reachable, model present, FIM supported) used until the pipeline's checkSetup is wired. */
export const basicSetupCheck: SetupChecker = async (services, signal) => {
  const config = services.config();
  const backend = await services.backend();
  const info = await backend.modelInfo(config.model, signal);
  if (!info.exists) {
    const summary = `model "${config.model}" is not on ${config.endpoint}`;
    return { ok: false, summary, lines: [summary], modelMissing: true };
  }
  const template = await services.resolveTemplate(signal);
  if ('error' in template) return { ok: false, summary: template.error, lines: [template.error], modelMissing: false };
  const summary = `${config.model} at ${config.endpoint} fills in the middle (${template.template.family} template)`;
  return { ok: true, summary, lines: [summary], modelMissing: false };
};
