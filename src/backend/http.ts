// fetch with the caller's AbortSignal, a first-byte timeout and error mapping. Shared by all backends so that
// transport failures are handled (and worded) once. Stream bodies are read by streams.ts.
import { abortError } from '../util/abort';
import {
  httpStatusError, malformedError, mapFailure, serverMessageFrom, unreachableError, type ServerRef,
} from './errors';

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

/** A short, printable excerpt of an unexpected body. */
export function describeText(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (!oneLine) return 'an empty body';
  return JSON.stringify(oneLine.length > 80 ? oneLine.slice(0, 80) + '…' : oneLine);
}
