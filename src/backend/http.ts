// fetch with the caller's AbortSignal, a first-byte timeout and error mapping. Shared by all backends so that
// transport failures are handled (and worded) once. Stream bodies are read by streams.ts.
// Redirects are never followed: the user's code goes to `infill.endpoint` and nowhere else.
import { abortError } from '../util/abort';
import {
  httpStatusError, malformedError, mapFailure, redirectError, serverMessageFrom, unreachableError, type ServerRef,
} from './errors';

export interface OpenedResponse {
  response: Response;
  /** Stops the transfer (if still running) and detaches from the caller's signal. Safe to call twice. */
  close(): void;
  /** True when `deadlineMs` ran out (the transfer was then stopped). */
  timedOut(): boolean;
}

/**
 * Longest wait for a whole metadata answer (/api/show, /props, /v1/models), headers and body: a server that
 * sends headers and then stalls must not hold the template lookup, and every request behind it, for ever.
 */
export const METADATA_DEADLINE_MS = 10_000;

export interface HttpRequest {
  method?: 'GET' | 'POST';
  /** JSON-serialised when given. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The model asked for, for not-found / no-FIM messages. */
  model?: string;
  /**
   * Bound on the whole exchange, body included (metadata requests). Without it only the headers are timed
   * (`server.connectTimeoutMs`): a stream's length is bounded by the caller's request timeout instead.
   */
  deadlineMs?: number;
}

/**
 * Sends a request and resolves once the response headers arrive with a 2xx status. Rejects with an AbortError
 * when `signal` fires, with BackendError 'unreachable' on network failure or when no headers come within
 * `server.connectTimeoutMs`, and with a classified BackendError on a non-2xx status.
 */
export async function openRequest(server: ServerRef, pathOrUrl: string, req: HttpRequest, signal?: AbortSignal): Promise<OpenedResponse> {
  if (signal?.aborted) throw abortError();
  const controller = new AbortController();
  let timedOut = false;
  const connectTimeout = server.connectTimeoutMs;
  const headerTimeout = req.deadlineMs !== undefined && (!connectTimeout || req.deadlineMs < connectTimeout) ? req.deadlineMs : connectTimeout;
  const timer = headerTimeout && headerTimeout > 0 ? setTimeout(() => { timedOut = true; controller.abort(); }, headerTimeout) : undefined;
  // The deadline keeps running after the headers, until the body is read and the caller closes.
  const deadline = req.deadlineMs !== undefined && req.deadlineMs > 0
    ? setTimeout(() => { timedOut = true; controller.abort(); }, req.deadlineMs) : undefined;
  // A body read by someone else (the ollama client) is never closed here: its deadline must not keep a CLI alive.
  deadline?.unref?.();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    clearTimeout(deadline);
    signal?.removeEventListener('abort', close);
    controller.abort();
  };
  signal?.addEventListener('abort', close, { once: true });
  let response: Response;
  try {
    response = await fetch(/^https?:/i.test(pathOrUrl) ? pathOrUrl : server.endpoint + pathOrUrl, {
      method: req.method ?? (req.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(req.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        Accept: 'application/json, application/x-ndjson, text/event-stream',
        ...(server.authorization ? { Authorization: server.authorization } : {}),
        ...req.headers,
      },
      body: req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body),
      signal: controller.signal,
      redirect: 'manual',
    });
  } catch (err) {
    close();
    if (signal?.aborted) throw abortError();
    if (timedOut) throw unreachableError(server, err, headerTimeout);
    throw mapFailure(server, err, signal, false);
  }
  clearTimeout(timer);
  if (response.status >= 300 && response.status < 400 || response.type === 'opaqueredirect') {
    const location = response.headers.get('location') ?? '';
    close();
    throw redirectError(server, response.status, location);
  }
  if (!response.ok) {
    let text = '';
    try { text = await response.text(); } catch { /* the status alone will do */ }
    close();
    if (signal?.aborted) throw abortError();
    throw httpStatusError(server, response.status, serverMessageFrom(text) || response.statusText, req.model);
  }
  return { response, close, timedOut: () => timedOut };
}

/** GET/POST and parse a JSON answer. */
export async function requestJson<T = any>(server: ServerRef, path: string, req: HttpRequest, signal?: AbortSignal): Promise<T> {
  const opened = await openRequest(server, path, { deadlineMs: METADATA_DEADLINE_MS, ...req }, signal);
  try {
    let text: string;
    try {
      text = await opened.response.text();
    } catch (err) {
      if (opened.timedOut() && !signal?.aborted) throw unreachableError(server, err, req.deadlineMs ?? METADATA_DEADLINE_MS);
      throw mapFailure(server, err, signal, true);
    }
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
