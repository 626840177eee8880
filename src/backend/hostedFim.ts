// Hosted fill-in-the-middle APIs, each with its own documented wire format:
// - Mistral's Codestral: POST /v1/fim/completions {model, prompt, suffix, max_tokens, stop, stream}; streamed as
//   SSE `chat.completion.chunk`s whose text is in `choices[0].delta.content`, then `data: [DONE]`.
// - DeepSeek's FIM beta: POST /beta/completions, OpenAI completions in form (`choices[0].text`), prompt + suffix,
//   at most 4K tokens.
// Both take the code before and after the cursor as `prompt` and `suffix` and lay out the FIM prompt themselves.
import { abortError } from '../util/abort';
import { splitCredentials } from '../util/url';
import { interruptedError, mapFailure, type ServerRef } from './errors';
import { openRequest } from './http';
import { limitStream } from './limits';
import { readCompletionChoices } from './streams';
import type { Backend, BackendConfig, CompletionRequest, ModelInfo, StreamChunk } from './types';

export type HostedFimKind = 'codestral' | 'deepseek';

interface HostedFimApi {
  path: string;
  /** The server refuses more than this many tokens / stop strings. */
  maxTokens: number;
  maxStops: number;
}

export const HOSTED_FIM_APIS: Record<HostedFimKind, HostedFimApi> = {
  codestral: {
    path: '/v1/fim/completions',
    maxTokens: 8192,
    maxStops: 8,
  },
  deepseek: {
    path: '/beta/completions',
    maxTokens: 4096,
    maxStops: 16,
  },
};

export class HostedFimBackend implements Backend {
  readonly endpoint: string;
  private readonly server: ServerRef;
  private readonly headers: Record<string, string>;
  private readonly api: HostedFimApi;

  constructor(readonly kind: HostedFimKind, config: BackendConfig) {
    const { endpoint, authorization } = splitCredentials(config.endpoint);
    // Accept the base URL with or without the API's own version prefix (https://api.deepseek.com/beta, .../v1).
    this.endpoint = endpoint.replace(kind === 'deepseek' ? /\/beta$/ : /\/v1$/, '');
    this.server = { kind, endpoint: this.endpoint, connectTimeoutMs: config.connectTimeoutMs, authorization };
    this.headers = config.apiKey ? { Authorization: `Bearer ${config.apiKey}` } : {};
    this.api = HOSTED_FIM_APIS[kind];
  }

  stream(request: CompletionRequest, signal: AbortSignal): AsyncIterable<StreamChunk> {
    return limitStream(this.streamUnlimited(request, signal), request.maxTokens, this.server);
  }

  private async *streamUnlimited(request: CompletionRequest, signal: AbortSignal): AsyncIterable<StreamChunk> {
    const body = {
      model: request.model,
      prompt: request.prefix,
      suffix: request.suffix,
      max_tokens: Math.min(request.maxTokens, this.api.maxTokens),
      temperature: request.temperature,
      ...(request.stop.length ? { stop: request.stop.slice(0, this.api.maxStops) } : {}),
      stream: true,
    };
    let opened: Awaited<ReturnType<typeof openRequest>> | undefined;
    try {
      opened = await openRequest(this.server, this.api.path, { body, headers: this.headers, model: request.model }, signal);
      if (!opened.response.body) throw interruptedError(this.server);
      yield* readCompletionChoices(opened.response.body, this.server, signal, request.model);
    } catch (err) {
      throw mapFailure(this.server, err, signal, opened !== undefined);
    } finally {
      opened?.close();
    }
  }

  /** Hosted APIs bill per request and their model lists say nothing about FIM: nothing to ask. */
  async modelInfo(model: string, signal?: AbortSignal): Promise<ModelInfo> {
    if (signal?.aborted) throw abortError();
    return { exists: true, supportsFim: true, name: model, available: [] };
  }
}
