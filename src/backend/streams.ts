// Readers for streamed bodies: NDJSON (Ollama) and Server-Sent Events (llama.cpp, OpenAI, Codestral, DeepSeek). A bad line, a
// server error inside the stream and a cut connection each become a BackendError; an abort stays an abort.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { httpStatusError, interruptedError, malformedError, mapFailure, serverMessageFrom, type ServerRef } from './errors';
import { describeText } from './http';
import type { BackendError, CompletionStats, StreamChunk } from './types';

/**
 * Wraps an NDJSON body so that a line that is not JSON, or an `{"error": ...}` line, errors the stream with a
 * BackendError instead of being skipped, and a transport failure mid-way errors it as 'interrupted'.
 * Complete, valid lines pass through unchanged.
 */
export function validatedNdjson(body: ReadableStream<Uint8Array>, server: ServerRef, signal?: AbortSignal, model = ''): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let buffer = '';
  const check = (line: string): BackendError | undefined => {
    if (!line.trim()) return undefined;
    let parsed: any;
    try { parsed = JSON.parse(line); } catch { return malformedError(server, `a stream line is not JSON: ${describeText(line)}`); }
    if (parsed && typeof parsed === 'object' && typeof parsed.error === 'string') {
      return streamErrorFromServer(server, parsed.error, model);
    }
    return undefined;
  };
  return new ReadableStream<Uint8Array>({
    // Reads until at least one complete line can be passed on: a pull that enqueues nothing would not be
    // called again, and the consumer would wait forever on a line split across network chunks.
    async pull(controller) {
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (err) {
          controller.error(mapFailure(server, err, signal, true));
          return;
        }
        if (chunk.done) {
          buffer += decoder.decode();
          const problem = check(buffer);
          if (problem) return controller.error(problem);
          if (buffer.trim()) controller.enqueue(encoder.encode(buffer + '\n'));
          controller.close();
          return;
        }
        buffer += decoder.decode(chunk.value, { stream: true });
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          const problem = check(line);
          if (problem) {
            reader.cancel().catch(() => undefined);
            return controller.error(problem);
          }
        }
        if (lines.length) {
          controller.enqueue(encoder.encode(lines.join('\n') + '\n'));
          return;
        }
      }
    },
    cancel(reason) {
      return reader.cancel(reason).catch(() => undefined);
    },
  });
}

/** An error a server reported inside a stream (Ollama `{"error": ...}` line, llama.cpp `error:` event). */
export function streamErrorFromServer(server: ServerRef, message: string, model = ''): BackendError {
  const status = /not found/i.test(message) ? 404 : /does not support|not supported/i.test(message) ? 400 : 500;
  return httpStatusError(server, status, message, model);
}

/**
 * Reads a Server-Sent Events body and yields each event's JSON data. `[DONE]` ends the stream. Transport
 * failures become 'interrupted' (or an AbortError), bad JSON 'malformed', and a llama.cpp `error:` line the
 * server's own error.
 */
export async function* readSseJson(body: ReadableStream<Uint8Array>, server: ServerRef, signal?: AbortSignal, model = ''): AsyncGenerator<any, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const queue: EventSourceMessage[] = [];
  let failure: Error | undefined;
  const parser = createParser({
    onEvent: event => queue.push(event),
    onError: err => {
      // llama.cpp writes stream errors as an `error: {json}` line, which SSE itself does not define.
      if (err.type === 'unknown-field' && err.field === 'error' && !failure) {
        failure = streamErrorFromServer(server, serverMessageFrom(err.value ?? ''), model);
      }
    },
  });
  let finished = false;
  try {
    while (true) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try { chunk = await reader.read(); } catch (err) { throw mapFailure(server, err, signal, true); }
      if (chunk.done) {
        parser.feed(decoder.decode());
        parser.reset({ consume: true });
      } else {
        parser.feed(decoder.decode(chunk.value, { stream: true }));
      }
      if (failure) throw failure;
      while (queue.length) {
        const event = queue.shift()!;
        if (event.event === 'error') throw streamErrorFromServer(server, serverMessageFrom(event.data), model);
        const data = event.data.trim();
        if (data === '[DONE]') { finished = true; return; }
        if (!data) continue;
        let parsed: any;
        try { parsed = JSON.parse(data); } catch { throw malformedError(server, `an event is not JSON: ${describeText(data)}`); }
        if (parsed && typeof parsed === 'object' && parsed.error !== undefined && parsed.choices === undefined && parsed.content === undefined) {
          throw streamErrorFromServer(server, serverMessageFrom(data), model);
        }
        yield parsed;
      }
      if (chunk.done) { finished = true; return; }
    }
  } finally {
    if (!finished) reader.cancel().catch(() => undefined);
    else reader.releaseLock();
  }
}

/**
 * The text and final figures of an OpenAI-style completion stream (OpenAI-compatible servers, Codestral, DeepSeek):
 * each event's first choice carries text, as `text` (completions) or `delta.content` (Codestral's chunks); a
 * `finish_reason` or a `usage` event marks a stream that ended well, and without either the stream was cut.
 * Yields `{ text }` per piece, then `{ text: '', stats }`.
 */
export async function* readCompletionChoices(body: ReadableStream<Uint8Array>, server: ServerRef, signal: AbortSignal, model: string): AsyncGenerator<StreamChunk, void, undefined> {
  let finishReason: string | undefined;
  let usage: any;
  for await (const event of readSseJson(body, server, signal, model)) {
    // Mistral reports a failure inside the stream as {"object": "error", "message": ...}.
    if (event.object === 'error') throw streamErrorFromServer(server, String(event.message ?? ''), model);
    if (event.usage) usage = event.usage;
    const choice = Array.isArray(event.choices) ? event.choices[0] : undefined;
    if (!choice) continue;
    if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
    const text = typeof choice.text === 'string' ? choice.text : typeof choice.delta?.content === 'string' ? choice.delta.content : '';
    if (text) yield { text };
  }
  // `[DONE]` alone does not prove the answer is whole: a proxy may close early and still end the stream.
  if (!finishReason && !usage) throw interruptedError(server);
  yield { text: '', stats: completionStats(usage, finishReason) };
}

function completionStats(usage: any, finishReason: string | undefined): CompletionStats {
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return {
    promptTokens: num(usage?.prompt_tokens),
    // DeepSeek names its cache hits prompt_cache_hit_tokens; OpenAI and vLLM use prompt_tokens_details.
    cachedPromptTokens: num(usage?.prompt_cache_hit_tokens) ?? num(usage?.prompt_tokens_details?.cached_tokens),
    generatedTokens: num(usage?.completion_tokens),
    stopReason: finishReason,
  };
}
