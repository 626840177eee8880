// Ollama through the official `ollama` client. Our own fetch goes underneath it so that every request follows the
// caller's AbortSignal, has a first-byte timeout, and fails with a BackendError worded for the user (the client
// alone would skip malformed NDJSON lines and print to the console).
import { Ollama, type AbortableAsyncIterator, type GenerateResponse } from 'ollama';
import { abortError, isAbortError } from '../util/abort';
import { splitCredentials } from '../util/url';
import { httpStatusError, interruptedError, malformedError, mapFailure, modelNotFoundError, unreachableError, type ServerRef } from './errors';
import { limitStream } from './limits';
import { METADATA_DEADLINE_MS, openRequest, type OpenedResponse } from './http';
import { streamErrorFromServer, validatedNdjson } from './streams';
import {
  BackendError, type Backend, type BackendConfig, type ChatRequest, type CompletionRequest, type CompletionStats,
  type ModelInfo, type PullProgress, type StreamChunk,
} from './types';

interface Exchange {
  /** True once response headers arrived (a later failure is 'interrupted', not 'unreachable'). */
  answered: boolean;
  /** Bound on the whole exchange, body included (metadata requests only). */
  deadlineMs?: number;
  opened?: OpenedResponse;
}

/**
 * `infill.keepAlive` as Ollama parses it (api/types.go `Duration.UnmarshalJSON`): a JSON number is seconds (negative
 * = keep loaded for ever), a string goes through Go's time.ParseDuration, which rejects "-1" or "300" for their
 * missing unit. So bare numbers are sent as numbers, durations with units as strings.
 */
export function keepAliveForOllama(value: string): string | number {
  const trimmed = value.trim();
  return /^[-+]?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

export class OllamaBackend implements Backend {
  readonly kind = 'ollama' as const;
  readonly endpoint: string;
  private readonly server: ServerRef;

  constructor(config: BackendConfig) {
    const { endpoint, authorization } = splitCredentials(config.endpoint);
    this.endpoint = endpoint;
    this.server = { kind: 'ollama', endpoint, connectTimeoutMs: config.connectTimeoutMs, authorization };
  }

  stream(request: CompletionRequest, signal: AbortSignal): AsyncIterable<StreamChunk> {
    return limitStream(this.streamUnlimited(request, signal), request.maxTokens, this.server);
  }

  private async *streamUnlimited(request: CompletionRequest, signal: AbortSignal): AsyncIterable<StreamChunk> {
    const exchange: Exchange = { answered: false };
    const client = this.client(signal, exchange, request.model);
    const native = request.prompt === undefined;
    let iterator: AbortableAsyncIterator<GenerateResponse> | undefined;
    let completed = false;
    try {
      if (signal.aborted) throw abortError();
      iterator = await client.generate({
        model: request.model,
        stream: true,
        ...(native
          // Ollama applies the model's FIM template only when `suffix` is non-empty; at the end of a file an
          // empty suffix would turn the request into a plain (or chat) completion, so send a newline instead.
          ? { prompt: request.prefix, suffix: request.suffix || '\n' }
          : { prompt: request.prompt!, raw: true }),
        options: { num_predict: request.maxTokens, temperature: request.temperature, stop: request.stop },
        ...(request.keepAlive ? { keep_alive: keepAliveForOllama(request.keepAlive) } : {}),
      });
      for await (const part of iterator) {
        if (part.done) {
          completed = true;
          yield { text: part.response ?? '', stats: statsOf(part) };
          return;
        }
        if (part.response) yield { text: part.response };
      }
    } catch (err) {
      throw await this.mapError(err, signal, exchange, request.model);
    } finally {
      // The consumer may stop early (abort, or it has seen enough): close the connection so Ollama stops generating.
      if (!completed) iterator?.abort();
    }
  }

  async modelInfo(model: string, signal?: AbortSignal): Promise<ModelInfo> {
    const available = this.availableModels(signal);
    const exchange: Exchange = { answered: false, deadlineMs: METADATA_DEADLINE_MS };
    try {
      const show = await this.client(signal, exchange, model).show({ model });
      const template = typeof show.template === 'string' ? show.template : undefined;
      const caps = Array.isArray(show.capabilities) ? show.capabilities : undefined;
      return {
        exists: true,
        // Older Ollama versions have no `capabilities`: then the template's use of .Suffix tells.
        supportsFim: caps ? caps.includes('insert') : template ? /\.Suffix/.test(template) : undefined,
        family: show.details?.family || undefined,
        template,
        name: model,
        available: await available,
      };
    } catch (err) {
      const mapped = await this.mapError(err, signal, exchange, model, false);
      if (mapped instanceof BackendError && mapped.kind === 'model-not-found') {
        return { exists: false, available: await available };
      }
      throw mapped;
    }
  }

  async pull(model: string, onProgress: (p: PullProgress) => void, signal: AbortSignal): Promise<void> {
    const exchange: Exchange = { answered: false };
    let iterator: AbortableAsyncIterator<{ status: string; completed?: number; total?: number }> | undefined;
    let completed = false;
    try {
      if (signal.aborted) throw abortError();
      // Pulls take minutes: only the connection gets the first-byte timeout, not the whole download.
      iterator = await this.client(signal, exchange, model).pull({ model, stream: true });
      for await (const p of iterator) {
        onProgress({ status: p.status, completed: p.completed ?? undefined, total: p.total ?? undefined });
        if (p.status === 'success') { completed = true; return; }
      }
    } catch (err) {
      const mapped = await this.mapError(err, signal, exchange, model, false);
      if (mapped instanceof BackendError && /file does not exist|manifest/i.test(mapped.message)) {
        throw new BackendError('model-not-found', `Ollama could not find "${model}" in its registry — check the name on https://ollama.com/library (for completions try qwen2.5-coder:1.5b-base).`);
      }
      throw mapped;
    } finally {
      if (!completed) iterator?.abort();
    }
  }

  chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamChunk> {
    return limitStream(this.chatUnlimited(request, signal), request.maxTokens, this.server);
  }

  private async *chatUnlimited(request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamChunk> {
    const exchange: Exchange = { answered: false };
    let iterator: AbortableAsyncIterator<{ message?: { content?: string }; done: boolean } & Partial<GenerateResponse>> | undefined;
    let completed = false;
    try {
      if (signal.aborted) throw abortError();
      iterator = await this.client(signal, exchange, request.model).chat({
        model: request.model,
        messages: request.messages,
        stream: true,
        options: { num_predict: request.maxTokens, temperature: request.temperature, ...(request.stop ? { stop: request.stop } : {}) },
        ...(request.keepAlive ? { keep_alive: keepAliveForOllama(request.keepAlive) } : {}),
      }) as typeof iterator;
      for await (const part of iterator!) {
        const text = part.message?.content ?? '';
        if (part.done) {
          completed = true;
          yield { text, stats: statsOf(part) };
          return;
        }
        if (text) yield { text };
      }
    } catch (err) {
      throw await this.mapError(err, signal, exchange, request.model);
    } finally {
      if (!completed) iterator?.abort();
    }
  }

  /** Names of the models Ollama has (for "choose one of" messages); empty when it cannot tell. */
  private async availableModels(signal?: AbortSignal): Promise<string[]> {
    try {
      const list = await this.client(signal, { answered: false, deadlineMs: METADATA_DEADLINE_MS }, '').list();
      return (list.models ?? []).map(m => m.name).filter((n): n is string => typeof n === 'string');
    } catch {
      return [];
    }
  }

  /** A client whose every request goes through our fetch, bound to `signal`. Cheap: one per call. */
  private client(signal: AbortSignal | undefined, exchange: Exchange, model: string): Ollama {
    const server = this.server;
    const ourFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      // The client aborts its own controller from AbortableAsyncIterator.abort(); follow both signals.
      const signals = [signal, init?.signal ?? undefined].filter((s): s is AbortSignal => !!s);
      const linked = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
      const opened = await openRequest(server, String(input instanceof Request ? input.url : input), {
        method: (init?.method as 'GET' | 'POST' | undefined) ?? 'GET',
        body: typeof init?.body === 'string' ? init.body : undefined,
        headers: init?.headers as Record<string, string> | undefined,
        model,
        deadlineMs: exchange.deadlineMs,
      }, linked);
      exchange.answered = true;
      exchange.opened = opened;
      const { response } = opened;
      const isStream = (response.headers.get('content-type') ?? '').includes('ndjson');
      if (!isStream || !response.body) return response;
      return new Response(validatedNdjson(response.body, server, linked, model), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
    return new Ollama({ host: this.endpoint, fetch: ourFetch as typeof fetch });
  }

  private async mapError(err: unknown, signal: AbortSignal | undefined, exchange: Exchange, model: string, enrich = true): Promise<Error> {
    if (!signal?.aborted && exchange.opened?.timedOut()) return unreachableError(this.server, err, exchange.deadlineMs);
    if (signal?.aborted || isAbortError(err)) return abortError();
    if (err instanceof BackendError) {
      if (enrich && err.kind === 'model-not-found') return modelNotFoundError(this.server, model, await this.availableModels(signal));
      return err;
    }
    const e = err as { name?: string; message?: string; status_code?: number; error?: string };
    if (e?.name === 'ResponseError' && typeof e.status_code === 'number') {
      return httpStatusError(this.server, e.status_code, e.error ?? e.message ?? '', model);
    }
    if (err instanceof SyntaxError) return malformedError(this.server, `the answer is not JSON (${err.message})`);
    if (typeof e?.message === 'string' && /did not receive done or success/i.test(e.message)) {
      return interruptedError(this.server);
    }
    if (err instanceof Error && err.constructor === Error && exchange.answered && e.message) {
      // The client turns an `{"error": ...}` stream line into a plain Error with the server's text.
      return streamErrorFromServer(this.server, e.message, model);
    }
    return mapFailure(this.server, err, signal, exchange.answered);
  }
}

function statsOf(part: Partial<GenerateResponse>): CompletionStats {
  const ms = (ns: unknown) => (typeof ns === 'number' && ns >= 0 ? ns / 1e6 : undefined);
  return {
    promptTokens: typeof part.prompt_eval_count === 'number' ? part.prompt_eval_count : undefined,
    generatedTokens: typeof part.eval_count === 'number' ? part.eval_count : undefined,
    loadMs: ms(part.load_duration),
    promptMs: ms(part.prompt_eval_duration),
    generationMs: ms(part.eval_duration),
    stopReason: typeof part.done_reason === 'string' ? part.done_reason : undefined,
  };
}
