// "Infill: Check Setup": reaches the endpoint, checks the model exists and fills in the middle, times one FIM
// request, and shows the report. With Ollama and a missing model it offers to pull it, with a cancellable
// progress notification driven by the pull stream.
import * as vscode from 'vscode';
import type { Backend } from '../backend/types';
import { checkSetup, type SetupReport } from '../pipeline/setupCheck';
import { isAbortError } from '../util/abort';
import { maskCredentials } from '../util/url';
import { FIM_FAMILIES, FIM_TEMPLATES } from '../prompt/templates';
import type { FimFamily } from '../prompt/types';
import { PullMeter } from './pullMeter';
import type { ExtensionServices } from './services';
import { errorMessage } from '../util/errors';
import { openInfillSettings } from './settings';
import { OPEN_SETTINGS, pullAction, setupMessage, SHOW_LOG } from './setupMessage';
import { plainMessage } from './statusFormat';

export type SetupChecker = (services: ExtensionServices, signal: AbortSignal, onProgress: (message: string) => void) => Promise<SetupReport>;

/** The pipeline's check, with the extension's backend (API key included) and template cache. */
export const pipelineSetupCheck: SetupChecker = async (services, signal, onProgress) =>
  checkSetup(await services.backend(), services.config(), signal, {
    onProgress,
    resolveTemplate: (_backend, _config, s) => services.resolveTemplate(s),
  });

export interface CheckSetupDeps {
  log: vscode.LogOutputChannel;
  services: ExtensionServices;
  /** Runs the check; default: the pipeline's checkSetup (pipelineSetupCheck). */
  check?: SetupChecker;
  /** A model was pulled: forget cached templates and failures. */
  onModelReady(): void;
}

/** Registers infill.checkSetup. The command returns the report (tests and the menu use it). */
export function registerCheckSetup(deps: CheckSetupDeps): vscode.Disposable {
  return vscode.commands.registerCommand('infill.checkSetup', (options?: CheckSetupOptions) => runCheckSetup(deps, options ?? {}));
}

export interface CheckSetupOptions {
  /** Log the report and return it, without the message (tests, automation). */
  quiet?: boolean;
  /** With `quiet`: pull a missing Ollama model without asking. */
  pull?: boolean;
  /** This check follows the download of this model (its message reports the result). */
  pulled?: string;
}

async function runCheckSetup(deps: CheckSetupDeps, options: CheckSetupOptions): Promise<SetupReport | undefined> {
  const quiet = options.quiet ?? false;
  const { log, services } = deps;
  const config = services.config();
  const check = deps.check ?? pipelineSetupCheck;
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Infill: checking ${config.model} at ${maskCredentials(config.endpoint)}…`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const listener = token.onCancellationRequested(() => controller.abort());
      try {
        return await check(services, controller.signal, message => progress.report({ message }));
      } catch (err) {
        if (isAbortError(err) || controller.signal.aborted) return undefined;
        const message = errorMessage(err);
        log.error(`Check setup failed: ${message}`);
        void vscode.window.showErrorMessage(`Infill: the setup check failed: ${plainMessage(message)}`);
        return undefined;
      } finally {
        listener.dispose();
      }
    },
  );
  if (!report) return undefined;
  log.info(`Check setup: ${report.summary}`);
  for (const line of report.lines) log.info(`  ${line}`);
  const canPull = report.modelMissing && config.backend === 'ollama';
  if (quiet) {
    if (!(canPull && options.pull)) return report;
    const pulled = await pullModel(log, await services.backend(), config.model);
    if (!pulled) return report;
    deps.onModelReady();
    return runCheckSetup(deps, { quiet: true });
  }

  if (!report.ok && report.familyUnknown && await askTemplate(services, config.model)) return runCheckSetup(deps, options);

  // Not modal: the user keeps typing while the message waits. The detail goes to the log.
  const message = setupMessage(report, options.pulled);
  const show = message.severity === 'info' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  const choice = await show(message.text, ...message.actions);
  if (choice === SHOW_LOG) log.show(true);
  if (choice === OPEN_SETTINGS) await openInfillSettings();
  if (canPull && choice === pullAction(config.model)) {
    const pulled = await pullModel(log, await services.backend(), config.model);
    if (pulled) {
      deps.onModelReady();
      return runCheckSetup(deps, { ...options, pulled: config.model });
    }
  }
  return report;
}

/**
 * vLLM and TGI serve any model under any id: when neither the server nor the id tells the FIM format, ask once
 * and remember the answer for this endpoint and model. True when the user chose one.
 */
async function askTemplate(services: ExtensionServices, model: string): Promise<boolean> {
  const picked = await vscode.window.showQuickPick(
    FIM_FAMILIES.map(family => ({ label: family, description: FIM_TEMPLATES[family].description })),
    { title: `Infill: which FIM format does ${model} use?`, placeHolder: 'Infill cannot tell it from the model id. Your choice is remembered for this server and model.', ignoreFocusOut: true },
  );
  if (!picked) return false;
  await services.rememberTemplate(picked.label as FimFamily);
  return true;
}

/** Pulls an Ollama model with a cancellable progress notification. True when the download finished. */
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
          progress.report({ message: step.message, increment: step.increment });
          if (step.logLine) log.debug(`pull ${model}: ${step.logLine}`);
        }, controller.signal);
        // No "ready" message here: the check that follows says whether the model works.
        log.info(`Pulled ${model}.`);
        return true;
      } catch (err) {
        if (token.isCancellationRequested || isAbortError(err)) {
          log.info(`Pull of ${model} cancelled.`);
          return false;
        }
        const message = errorMessage(err);
        log.error(`Pull of ${model} failed: ${message}`);
        void vscode.window.showErrorMessage(`Infill: pulling ${model} failed: ${plainMessage(message)}`);
        return false;
      } finally {
        listener.dispose();
      }
    },
  );
}
