// OpenAI-compatible /v1/completions (vLLM, LM Studio, llama.cpp, TGI, hosted APIs): `prompt` + `suffix` for servers
// that fill in the middle themselves, or our raw template as `prompt`. Streams Server-Sent Events.
import { abortError } from '../util/abort';
import { interruptedError, mapFailure, modelNotFoundError, type ServerRef } from './errors';
import { splitCredentials } from '../util/url';
import { limitStream } from './limits';
import { openRequest, requestJson } from './http';
import { readCompletionChoices } from './streams';
import { BackendError, type Backend, type BackendConfig, type CompletionRequest, type ModelInfo, type StreamChunk } from './types';

/** The OpenAI API rejects more than four stop strings; compatible servers follow it. */
export const OPENAI_MAX_STOPS = 4;

export class OpenAIBackend implements Backend {
  readonly kind = 'openai' as const;
  readonly endpoint: string;
  private readonly server: ServerRef;
  private readonly headers: Record<string, string>;

  constructor(config: BackendConfig) {
    // Accept both http://host:8000 and http://host:8000/v1 as the endpoint.
    const { endpoint, authorization } = splitCredentials(config.endpoint);
    this.endpoint = endpoint.replace(/\/v1$/, '');
    this.server = { kind: 'openai', endpoint: this.endpoint, connectTimeoutMs: config.connectTimeoutMs, authorization };
    this.headers = config.apiKey ? { Authorization: `Bearer ${config.apiKey}` } : {};
  }

  stream(request: CompletionRequest, signal: AbortSignal): AsyncIterable<StreamChunk> {
    return limitStream(this.streamUnlimited(request, signal), request.maxTokens, this.server);
  }

  private async *streamUnlimited(request: CompletionRequest, signal: AbortSignal): AsyncIterable<StreamChunk> {
    const body: Record<string, unknown> = {
      model: request.model,
      ...(request.prompt !== undefined ? { prompt: request.prompt } : { prompt: request.prefix, suffix: request.suffix }),
      max_tokens: request.maxTokens,
      temperature: request.temperature,
      ...(request.stop.length ? { stop: request.stop.slice(0, OPENAI_MAX_STOPS) } : {}),
      stream: true,
    };
    let opened: Awaited<ReturnType<typeof openRequest>> | undefined;
    try {
      opened = await this.open(body, request.model, signal);
      if (!opened.response.body) throw interruptedError(this.server);
      yield* readCompletionChoices(opened.response.body, this.server, signal, request.model);
    } catch (err) {
      const mapped = mapFailure(this.server, err, signal, opened !== undefined);
      if (mapped instanceof BackendError && mapped.kind === 'model-not-found') throw modelNotFoundError(this.server, request.model, await this.modelNames(signal));
      throw mapped;
    } finally {
      opened?.close();
    }
  }

  /** Asks for usage figures in the stream; servers that reject `stream_options` get the request again without. */
  private async open(body: Record<string, unknown>, model: string, signal: AbortSignal) {
    const req = (b: unknown) => ({ body: b, headers: this.headers, model });
    try {
      return await openRequest(this.server, '/v1/completions', req({ ...body, stream_options: { include_usage: true } }), signal);
    } catch (err) {
      if (err instanceof BackendError && (err.status === 400 || err.status === 422) && /stream_options/i.test(err.message)) {
        return openRequest(this.server, '/v1/completions', req(body), signal);
      }
      throw err;
    }
  }

  /** The server's model ids, for "choose one of" messages; empty when it cannot tell. */
  private async modelNames(signal?: AbortSignal): Promise<string[]> {
    try {
      const list = await requestJson<{ data?: { id?: string }[] }>(this.server, '/v1/models', { headers: this.headers }, signal);
      return (list.data ?? []).map(m => m.id).filter((id): id is string => typeof id === 'string');
    } catch {
      return [];
    }
  }

  async modelInfo(model: string, signal?: AbortSignal): Promise<ModelInfo> {
    if (signal?.aborted) throw abortError();
    let available: string[];
    try {
      const list = await requestJson<{ data?: { id?: string }[] }>(this.server, '/v1/models', { headers: this.headers, model }, signal);
      available = (list.data ?? []).map(m => m.id).filter((id): id is string => typeof id === 'string');
    } catch (err) {
      // Some servers have no model list; then all we know is that the server answers.
      if (err instanceof BackendError && err.kind === 'http' && err.status === 404) return { exists: true, available: [] };
      throw err;
    }
    const exists = available.length === 0 || available.includes(model);
    return { exists, name: model, available };
  }
}
