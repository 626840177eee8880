// Which FIM template to use for the configured model: the explicit setting, else what the server says about
// the model (Ollama /api/show, llama.cpp /props) and its name (see prompt/family.ts). Asked once per
// (server, model, setting) and remembered, so keystrokes never wait for it after the first request.
import type { Backend, ModelInfo } from '../backend/types';
import { BackendError, laysOutFimItself } from '../backend/types';
import type { InfillConfig } from '../config/types';
import { detectFamily, type FamilyHints } from '../prompt/family';
import type { FimFamily } from '../prompt/types';
import { templateFor } from '../prompt/templates';
import { abortError, isAbortError } from '../util/abort';
import type { TemplateResult } from './engine';
import { errorMessage } from '../util/errors';

/** Answers that may change soon (model pulled, server started) are kept this long. */
export const NEGATIVE_RESULT_TTL_MS = 10_000;

/**
 * Templates the user chose (in Check Setup) for a model whose family cannot be told from its id, remembered per
 * endpoint and model: vLLM and TGI serve any fine-tune under any name.
 */
export interface TemplateMemory {
  get(endpoint: string, model: string): FimFamily | undefined;
}

/** Resolves the template for `config.model` on `backend`, asking the server. No caching. */
export async function resolveTemplate(backend: Backend, config: InfillConfig, signal?: AbortSignal, memory?: TemplateMemory): Promise<TemplateResult> {
  if (config.template !== 'auto') {
    // Still native on llama.cpp: /infill knows the model's own tokens; the template gives the stops.
    return { template: templateFor(config.template), native: laysOutFimItself(backend.kind), reason: `template "${config.template}" set by infill.template` };
  }
  const remembered = memory?.get(backend.endpoint, config.model);
  if (remembered) {
    return { template: templateFor(remembered), native: laysOutFimItself(backend.kind), reason: `template "${remembered}" chosen in Check Setup for ${config.model} at ${backend.endpoint}` };
  }
  if (backend.kind === 'codestral' || backend.kind === 'deepseek') {
    // Hosted FIM APIs take prefix and suffix and serve FIM models whatever their names say ("deepseek-chat").
    return { template: templateFor(backend.kind), native: true, reason: `the ${backend.kind} FIM API lays out the prompt itself` };
  }
  let info: ModelInfo;
  try {
    info = await backend.modelInfo(config.model, signal);
  } catch (err) {
    if (signal?.aborted || isAbortError(err)) throw abortError();
    if (err instanceof BackendError) return { error: err.message, chatOnly: false, kind: err.kind };
    return { error: `Could not ask ${backend.endpoint} about ${config.model}: ${errorMessage(err)}`, chatOnly: false };
  }
  if (!info.exists) {
    const others = info.available?.length ? ` Available: ${info.available.slice(0, 8).join(', ')}.` : '';
    const pull = backend.kind === 'ollama' ? ` Pull it with "ollama pull ${config.model}" or run "Infill: Check Setup".` : '';
    return { error: `Model "${config.model}" is not on ${backend.endpoint}.${others}${pull}`, chatOnly: false, kind: 'model-not-found' };
  }
  const detection = detectFamily(hintsFor(backend, config, info));
  if (detection.chatOnly) return { error: detection.reason, chatOnly: true, kind: 'no-fim' };
  if (detection.family) {
    return { template: templateFor(detection.family), native: laysOutFimItself(backend.kind), reason: detection.reason };
  }
  // The family is unknown, but servers with their own FIM support can still fill in the middle: let them
  // lay out the prompt (Ollama `suffix`, llama.cpp /infill). The template then only lends its stop tokens.
  if (laysOutFimItself(backend.kind) || (backend.kind === 'ollama' && info.supportsFim === true)) {
    return { template: templateFor('qwen'), native: true, reason: detection.reason };
  }
  return { error: `${detection.reason}, or run "Infill: Check Setup" to choose it once for this server and model.`, chatOnly: false, kind: 'no-fim', familyUnknown: true };
}

function hintsFor(backend: Backend, config: InfillConfig, info: ModelInfo): FamilyHints {
  const hints: FamilyHints = { setting: config.template, modelName: config.model };
  if (backend.kind === 'ollama') {
    hints.ollama = {
      family: info.family,
      template: info.template,
      // The backend folds Ollama's `capabilities` into supportsFim; give the detector the same evidence back.
      capabilities: info.supportsFim === undefined ? undefined : info.supportsFim ? ['completion', 'insert'] : ['completion'],
    };
  } else if (backend.kind === 'llamacpp') {
    hints.llamacppProps = { model_path: info.name, chat_template: info.template };
  }
  return hints;
}

/** One question to the server, shared by every caller waiting for it. */
interface Lookup {
  result: Promise<TemplateResult>;
  settledAt?: number;
  /** A found template is kept until invalidate(); errors only for NEGATIVE_RESULT_TTL_MS. */
  keep: boolean;
  /** Callers still waiting; when the last one gives up, the question is withdrawn. */
  waiters: number;
  controller: AbortController;
}

/**
 * resolveTemplate with a memory per (backend kind, endpoint, model, template setting). Concurrent callers
 * share one question to the server; it runs until its last waiting caller's signal fires, and is then
 * withdrawn and forgotten, so the next request asks again. Unreachable servers are not remembered either;
 * "no such model" and "chat-only" are, for NEGATIVE_RESULT_TTL_MS.
 */
export class TemplateResolver {
  private readonly entries = new Map<string, Lookup>();

  constructor(private readonly now: () => number = Date.now, private readonly memory?: TemplateMemory) {}

  resolve(backend: Backend, config: InfillConfig, signal?: AbortSignal): Promise<TemplateResult> {
    if (signal?.aborted) return Promise.reject(abortError());
    const key = [backend.kind, backend.endpoint, config.model, config.template].join('\u0001');
    const entry = this.entries.get(key);
    const fresh = entry && (entry.settledAt === undefined || entry.keep
      || this.now() - entry.settledAt < NEGATIVE_RESULT_TTL_MS);
    const lookup = entry && fresh ? entry : this.ask(key, backend, config);
    return this.waitFor(key, lookup, signal);
  }

  /** Forget everything (settings changed, a model was pulled). */
  invalidate(): void {
    this.entries.clear();
  }

  private ask(key: string, backend: Backend, config: InfillConfig): Lookup {
    const lookup: Lookup = { result: Promise.resolve({ error: '', chatOnly: false }), keep: false, waiters: 0, controller: new AbortController() };
    const forget = () => { if (this.entries.get(key) === lookup) this.entries.delete(key); };
    lookup.result = resolveTemplate(backend, config, lookup.controller.signal, this.memory).then(
      result => {
        lookup.settledAt = this.now();
        lookup.keep = 'template' in result;
        if ('error' in result && result.kind !== 'model-not-found' && result.kind !== 'no-fim' && !result.chatOnly) forget();
        return result;
      },
      (err: unknown): TemplateResult => {
        forget();
        return { error: errorMessage(err), chatOnly: false };
      },
    );
    this.entries.set(key, lookup);
    return lookup;
  }

  private waitFor(key: string, lookup: Lookup, signal?: AbortSignal): Promise<TemplateResult> {
    lookup.waiters++;
    // A caller without a signal waits to the end: it never withdraws the question.
    if (!signal) return lookup.result.then(value => { lookup.waiters--; return value; });
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        reject(abortError());
        if (--lookup.waiters > 0 || lookup.settledAt !== undefined) return;
        if (this.entries.get(key) === lookup) this.entries.delete(key);
        lookup.controller.abort();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      lookup.result.then(value => {
        signal.removeEventListener('abort', onAbort);
        lookup.waiters--;
        resolve(value);
      });
    });
  }
}
