// Builds the ExtensionServices the adapter's parts share: settings, the backend for the current settings (API key
// from SecretStorage), the FIM template for the configured model, and error reporting to the status bar + log.
import * as vscode from 'vscode';
import { createBackend } from '../backend';
import type { Backend } from '../backend/types';
import type { InfillConfig } from '../config/types';
import type { TemplateResult } from '../pipeline/engine';
import { TemplateResolver, type TemplateMemory } from '../pipeline/templateResolver';
import { isFimFamily } from '../prompt/templates';
import type { FimFamily } from '../prompt/types';
import { API_KEY_SECRET } from './controls';
import type { ExtensionServices } from './services';
import type { InfillStatusBar } from './statusBar';
import { errorMessage } from '../util/errors';

export interface ServiceDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  config(): InfillConfig;
  status: InfillStatusBar;
}

export interface InfillServices extends ExtensionServices, vscode.Disposable {
  /** Forget the backend and templates (settings or the API key changed, a model was pulled). */
  invalidate(): void;
}

export function createServices(deps: ServiceDeps): InfillServices {
  const { context, log } = deps;
  // Templates chosen in Check Setup, per endpoint and model (stored with the extension, not in settings).
  const remembered = () => context.globalState.get<Record<string, FimFamily>>(REMEMBERED_TEMPLATES_KEY) ?? {};
  const memory: TemplateMemory = { get: (endpoint, model) => { const f = remembered()[templateKey(endpoint, model)]; return isFimFamily(f) ? f : undefined; } };
  const templates = new TemplateResolver(Date.now, memory);
  let apiKey: Promise<string | undefined> | undefined;
  let backend: { key: string; value: Backend } | undefined;
  const loggedTemplates = new Set<string>();

  const readApiKey = () => (apiKey ??= Promise.resolve(context.secrets.get(API_KEY_SECRET)).then(
    key => key || undefined,
    err => {
      log.warn(`Could not read the API key from secret storage: ${errorMessage(err)}`);
      return undefined;
    },
  ));

  const invalidate = () => {
    backend = undefined;
    templates.invalidate();
    loggedTemplates.clear();
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
      // The key is part of the identity: a new key gets a new client, an old one is never reused.
      const cacheKey = JSON.stringify([config.backend, config.endpoint, key ?? '']);
      if (backend?.key !== cacheKey) {
        backend = { key: cacheKey, value: createBackend({ kind: config.backend, endpoint: config.endpoint, apiKey: key }) };
      }
      return backend.value;
    },

    async resolveTemplate(signal?: AbortSignal): Promise<TemplateResult> {
      const config = deps.config();
      const result = await templates.resolve(await services.backend(), config, signal);
      const id = JSON.stringify([config.backend, config.endpoint, config.model, config.template]);
      if ('template' in result && !loggedTemplates.has(id)) {
        loggedTemplates.add(id);
        log.info(`${config.model}: ${result.template.family} FIM template${result.native ? ' (server-side FIM layout)' : ''}` +
          `${result.reason ? ` — ${result.reason}` : ''}.`);
      }
      return result;
    },

    async rememberTemplate(family: FimFamily): Promise<void> {
      const config = deps.config();
      const endpoint = (await services.backend()).endpoint;
      await context.globalState.update(REMEMBERED_TEMPLATES_KEY, { ...remembered(), [templateKey(endpoint, config.model)]: family });
      log.info(`${config.model} at ${endpoint}: ${family} FIM template remembered.`);
      invalidate();
    },

    reportError(error: unknown, during: string): void {
      const message = errorMessage(error);
      log.error(`Error while ${during}: ${message}`);
      deps.status.setPipeline('error', message);
    },

    invalidate,
    dispose: () => secretsListener.dispose(),
  };
  return services;
}

const REMEMBERED_TEMPLATES_KEY = 'infill.rememberedTemplates';

function templateKey(endpoint: string, model: string): string {
  return JSON.stringify([endpoint, model]);
}
