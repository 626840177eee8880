// llama.cpp server (`llama-server`): /infill with the server's own FIM layout and `input_extra` snippets, or
// /completion with our raw template. Streams Server-Sent Events.
import { abortError } from '../util/abort';
import { interruptedError, mapFailure, type ServerRef } from './errors';
import { splitCredentials } from '../util/url';
import { limitStream } from './limits';
import { openRequest, requestJson } from './http';
import { readSseJson } from './streams';
import type { Backend, BackendConfig, CompletionRequest, CompletionStats, ModelInfo, StreamChunk } from './types';

/** What llama.cpp's GET /props tells (the parts we use). */
export interface LlamaCppProps {
  model_path?: string;
  chat_template?: string;
  total_slots?: number;
  default_generation_settings?: { n_ctx?: number };
  build_info?: string;
}

export class LlamaCppBackend implements Backend {
  readonly kind = 'llamacpp' as const;
  readonly endpoint: string;
  private readonly server: ServerRef;
  private readonly headers: Record<string, string>;

  constructor(config: BackendConfig) {
    const { endpoint, authorization } = splitCredentials(config.endpoint);
    this.endpoint = endpoint;
    this.server = { kind: 'llamacpp', endpoint, connectTimeoutMs: config.connectTimeoutMs, authorization };
    this.headers = config.apiKey ? { Authorization: `Bearer ${config.apiKey}` } : {};
  }

  stream(request: CompletionRequest, signal: AbortSignal): AsyncIterable<StreamChunk> {
    return limitStream(this.streamUnlimited(request, signal), request.maxTokens, this.server);
  }

  private async *streamUnlimited(request: CompletionRequest, signal: AbortSignal): AsyncIterable<StreamChunk> {
    const common = {
      // Router mode (one server, several models) picks the model by this field; a single-model server ignores it.
      ...(request.model ? { model: request.model } : {}),
      n_predict: request.maxTokens,
      temperature: request.temperature,
      stop: request.stop,
      stream: true,
      // Keep the slot's KV cache: the next request usually shares all but the tail of this prompt.
      cache_prompt: true,
      ...(request.indent !== undefined ? { n_indent: request.indent } : {}),
      ...(request.maxPredictMs !== undefined ? { t_max_predict_ms: request.maxPredictMs } : {}),
    };
    const body = request.prompt !== undefined
      ? { prompt: request.prompt, ...common }
      : { ...infillFields(request), ...common };
    const path = request.prompt !== undefined ? '/completion' : '/infill';
    let opened: Awaited<ReturnType<typeof openRequest>> | undefined;
    try {
      opened = await openRequest(this.server, path, { body, headers: this.headers, model: request.model }, signal);
      if (!opened.response.body) throw interruptedError(this.server);
      for await (const event of readSseJson(opened.response.body, this.server, signal, request.model)) {
        const text = typeof event.content === 'string' ? event.content : '';
        if (event.stop === true) {
          yield { text, stats: statsOf(event) };
          return;
        }
        if (text) yield { text };
      }
      throw interruptedError(this.server); // the stream ended without the final `stop: true` event
    } catch (err) {
      throw mapFailure(this.server, err, signal, opened !== undefined);
    } finally {
      // Also after a good end: detaches from the caller's signal; a finished response is not affected.
      opened?.close();
    }
  }

  async modelInfo(model: string, signal?: AbortSignal): Promise<ModelInfo> {
    if (signal?.aborted) throw abortError();
    const req = { headers: this.headers, model };
    const props = await requestJson<LlamaCppProps>(this.server, propsPath(model), req, signal);
    let available: string[] = [];
    try {
      const models = await requestJson<{ data?: { id?: string }[] }>(this.server, '/v1/models', req, signal);
      available = (models.data ?? []).map(m => m.id).filter((id): id is string => typeof id === 'string');
    } catch {
      if (signal?.aborted) throw abortError();
      // older servers have no /v1/models: the loaded model is all there is
    }
    const loaded = props.model_path ? baseName(props.model_path) : available[0];
    // llama-server serves one model whatever the request names; the router mode serves several by id.
    const exists = available.length <= 1 || !model || available.includes(model) || available.some(a => a.includes(model));
    return {
      exists,
      // /props does not tell whether the vocab has FIM tokens; /infill answers 501 when it has not.
      supportsFim: undefined,
      template: props.chat_template || undefined,
      name: loaded,
      available: available.length ? available : loaded ? [loaded] : [],
    };
  }

  /** Raw /props answer, for family detection from the model file name and chat template. */
  async props(signal?: AbortSignal, model = ''): Promise<LlamaCppProps> {
    return requestJson<LlamaCppProps>(this.server, propsPath(model), { headers: this.headers }, signal);
  }
}

/** In router mode /props answers for the model named in the query ("model name is missing" without it). */
export function propsPath(model: string): string {
  return model ? `/props?model=${encodeURIComponent(model)}` : '/props';
}

/**
 * llama.cpp lays out /infill as [input_extra][PRE]input_prefix[SUF]input_suffix[MID]prompt. Sending the current
 * line's text as `prompt` (after the middle token) keeps everything before it unchanged while the user types
 * along a line, so the server reuses the KV cache for extra + prefix + suffix and evaluates only the tail.
 */
export function infillFields(request: CompletionRequest): Record<string, unknown> {
  const lineStart = request.prefix.lastIndexOf('\n') + 1;
  return {
    input_prefix: request.prefix.slice(0, lineStart),
    input_suffix: request.suffix,
    prompt: request.prefix.slice(lineStart),
    input_extra: (request.extra ?? []).map(e => ({ filename: e.filename, text: e.text })),
  };
}

function statsOf(event: any): CompletionStats {
  const t = event.timings ?? {};
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const evaluated = num(event.tokens_evaluated);
  const promptN = num(t.prompt_n);
  return {
    promptTokens: evaluated ?? promptN,
    cachedPromptTokens: evaluated !== undefined && promptN !== undefined ? Math.max(0, evaluated - promptN) : undefined,
    generatedTokens: num(t.predicted_n) ?? num(event.tokens_predicted),
    promptMs: num(t.prompt_ms),
    generationMs: num(t.predicted_ms),
    stopReason: typeof event.stop_type === 'string' ? event.stop_type : undefined,
  };
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
