// Builds the ExtensionServices the adapter's parts share: settings, the backend for the current settings (API key
// from SecretStorage), the FIM template for the configured model, and error reporting to the status bar + log.
import * as vscode from 'vscode';
import { createBackend } from '../backend';
import { BackendError, type Backend } from '../backend/types';
import type { InfillConfig } from '../config/types';
import { abortError } from '../util/abort';
import { API_KEY_SECRET } from './controls';
import type { ExtensionServices } from './services';
import type { InfillStatusBar } from './statusBar';

type TemplateResult = Awaited<ReturnType<ExtensionServices['resolveTemplate']>>;
export type TemplateResolver = (backend: Backend, config: InfillConfig, signal?: AbortSignal) => Promise<TemplateResult>;

export interface ServiceDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  config(): InfillConfig;
  status: InfillStatusBar;
  resolveTemplate: TemplateResolver;
}

export interface InfillServices extends ExtensionServices, vscode.Disposable {
  /** Forget the backend and template (settings or the API key changed, a model was pulled). */
  invalidate(): void;
}

export function createServices(deps: ServiceDeps): InfillServices {
  const { context, log } = deps;
  let apiKey: Promise<string | undefined> | undefined;
  let backend: { key: string; value: Backend } | undefined;
  let template: { key: string; value: Promise<TemplateResult>; at: number } | undefined;
  /** A failed template lookup (server down, model missing) is retried after this long, not on every keystroke. */
  const TEMPLATE_ERROR_TTL_MS = 5_000;

  const readApiKey = () => (apiKey ??= Promise.resolve(context.secrets.get(API_KEY_SECRET)).then(
    key => key || undefined,
    err => {
      log.warn(`Could not read the API key from secret storage: ${String(err)}`);
      return undefined;
    },
  ));

  const invalidate = () => {
    backend = undefined;
    template = undefined;
  };
  const secretsListener = context.secrets.onDidChange(e => {
    if (e.key !== API_KEY_SECRET) return;
    apiKey = undefined;
    invalidate();
  });

  const services: InfillServices = {
    log,
    config: deps.config,

    async backend(): Promise<Backend> {
      const config = deps.config();
      const key = await readApiKey();
      const cacheKey = JSON.stringify([config.backend, config.endpoint, key ?? '']);
      if (backend?.key !== cacheKey) {
        backend = { key: cacheKey, value: createBackend({ kind: config.backend, endpoint: config.endpoint, apiKey: key }) };
      }
      return backend.value;
    },

    async resolveTemplate(signal?: AbortSignal): Promise<TemplateResult> {
      const config = deps.config();
      const cacheKey = JSON.stringify([config.backend, config.endpoint, config.model, config.template]);
      const now = Date.now();
      if (template?.key === cacheKey) {
        const cached = await template.value;
        // Errors expire so a server started later (or a model pulled elsewhere) is noticed.
        if (!('error' in cached) || now - template.at < TEMPLATE_ERROR_TTL_MS) return cached;
      }
      const b = await services.backend();
      // The lookup is shared by concurrent requests, so one request's cancellation must not cancel it.
      const value = deps.resolveTemplate(b, config, undefined).catch((err: unknown): TemplateResult => ({
        // Backend errors are already written for the user; anything else gets the context.
        error: err instanceof BackendError ? err.message
          : `Could not ask ${config.endpoint} about model "${config.model}": ${err instanceof Error ? err.message : String(err)}`,
        chatOnly: false,
        ...(err instanceof BackendError ? { kind: err.kind } : {}),
      }));
      template = { key: cacheKey, value, at: now };
      if (!signal) return value;
      return Promise.race([value, new Promise<never>((_, reject) => {
        if (signal.aborted) reject(abortError());
        signal.addEventListener('abort', () => reject(abortError()), { once: true });
      })]);
    },

    reportError(error: unknown, during: string): void {
      const message = error instanceof Error ? error.message : String(error);
      log.error(`Error while ${during}: ${message}`);
      deps.status.setPipeline('error', message);
    },

    invalidate,
    dispose: () => secretsListener.dispose(),
  };
  return services;
}
