// fetch with the caller's AbortSignal, a first-byte timeout and error mapping; plus NDJSON and SSE readers.
// Shared by all backends so that transport failures are handled (and worded) once.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { abortError } from '../util/abort';
import {
  httpStatusError, malformedError, mapFailure, serverMessageFrom, unreachableError, type ServerRef,
} from './errors';
import { BackendError } from './types';

export interface OpenedResponse {
  response: Response;
  /** Stops the transfer (if still running) and detaches from the caller's signal. Safe to call twice. */
  close(): void;
}

export interface HttpRequest {
  method?: 'GET' | 'POST';
  /** JSON-serialised when given. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The model asked for, for not-found / no-FIM messages. */
  model?: string;
}

/**
 * Sends a request and resolves once the response headers arrive with a 2xx status. Rejects with an AbortError
 * when `signal` fires, with BackendError 'unreachable' on network failure or when no headers come within
 * `server.connectTimeoutMs`, and with a classified BackendError on a non-2xx status.
 */
export async function openRequest(server: ServerRef, pathOrUrl: string, req: HttpRequest, signal?: AbortSignal): Promise<OpenedResponse> {
  if (signal?.aborted) throw abortError();
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timeout = server.connectTimeoutMs;
  const timer = timeout && timeout > 0 ? setTimeout(() => { timedOut = true; controller.abort(); }, timeout) : undefined;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    controller.abort();
  };
  let response: Response;
  try {
    response = await fetch(/^https?:/i.test(pathOrUrl) ? pathOrUrl : server.endpoint + pathOrUrl, {
      method: req.method ?? (req.body === undefined ? 'GET' : 'POST'),
      headers: { ...(req.body === undefined ? {} : { 'Content-Type': 'application/json' }), Accept: 'application/json, application/x-ndjson, text/event-stream', ...req.headers },
      body: req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body),
      signal: controller.signal,
    });
  } catch (err) {
    close();
    if (signal?.aborted) throw abortError();
    if (timedOut) throw unreachableError(server, err, timeout);
    throw mapFailure(server, err, signal, false);
  }
  clearTimeout(timer);
  if (!response.ok) {
    let text = '';
    try { text = await response.text(); } catch { /* the status alone will do */ }
    close();
    if (signal?.aborted) throw abortError();
    throw httpStatusError(server, response.status, serverMessageFrom(text) || response.statusText, req.model);
  }
  return { response, close };
}

/** GET/POST and parse a JSON answer. */
export async function requestJson<T = any>(server: ServerRef, path: string, req: HttpRequest, signal?: AbortSignal): Promise<T> {
  const opened = await openRequest(server, path, req, signal);
  try {
    let text: string;
    try { text = await opened.response.text(); } catch (err) { throw mapFailure(server, err, signal, true); }
    try { return JSON.parse(text) as T; } catch { throw malformedError(server, `expected JSON from ${path}, got ${describeText(text)}`); }
  } finally {
    opened.close();
  }
}

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
    async pull(controller) {
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
      if (lines.length) controller.enqueue(encoder.encode(lines.join('\n') + '\n'));
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

/** A short, printable excerpt of an unexpected body. */
export function describeText(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (!oneLine) return 'an empty body';
  return JSON.stringify(oneLine.length > 80 ? oneLine.slice(0, 80) + '…' : oneLine);
}
