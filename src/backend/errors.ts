// One place that turns transport and server failures into BackendErrors with messages that say what to do.
// Every backend goes through these functions, so the same fault reads the same way whatever the server.
import { abortError, isAbortError } from '../util/abort';
import { maskCredentials } from '../util/url';
import { BackendError, type BackendKind } from './types';

/** What the error messages need to know about the server being talked to. */
export interface ServerRef {
  kind: BackendKind;
  /** Base URL without a trailing slash. */
  endpoint: string;
  /** Milliseconds to wait for response headers before calling the server unreachable. */
  connectTimeoutMs?: number;
  /** `Basic ...` from credentials the endpoint URL held (they are never part of `endpoint`). */
  authorization?: string;
}

/** The FIM model we suggest when a model cannot fill in the middle or is missing. */
export const SUGGESTED_FIM_MODEL: Record<BackendKind, string> = {
  ollama: 'qwen2.5-coder:1.5b-base',
  llamacpp: 'Qwen2.5-Coder-1.5B (GGUF, e.g. `llama-server --fim-qwen-1.5b-default`)',
  openai: 'a base/coder model such as Qwen/Qwen2.5-Coder-1.5B',
  codestral: 'codestral-latest',
  deepseek: 'deepseek-chat (the model the FIM beta serves)',
};

export function serverLabel(kind: BackendKind): string {
  switch (kind) {
    case 'ollama': return 'Ollama';
    case 'llamacpp': return 'the llama.cpp server';
    case 'openai': return 'the OpenAI-compatible server';
    case 'codestral': return 'the Codestral API';
    case 'deepseek': return 'the DeepSeek API';
  }
}

function startHint(kind: BackendKind): string {
  switch (kind) {
    case 'ollama': return 'is it running? Start it with `ollama serve`.';
    case 'llamacpp': return 'is it running? Start it with `llama-server -m <model.gguf> --port 8080`.';
    case 'openai': return 'is it running? Check the server and the `infill.endpoint` setting.';
    case 'codestral':
    case 'deepseek': return 'check your network connection and the `infill.endpoint` setting.';
  }
}

export function unreachableError(server: ServerRef, cause?: unknown, timedOutAfterMs?: number): BackendError {
  const why = timedOutAfterMs !== undefined ? ` (no answer within ${timedOutAfterMs} ms)` : causeSummary(cause);
  return new BackendError('unreachable', `Cannot reach ${serverLabel(server.kind)} at ${server.endpoint}${why} — ${startHint(server.kind)}`, undefined, { cause });
}

export function malformedError(server: ServerRef, detail: string): BackendError {
  return new BackendError('malformed', `${capitalise(serverLabel(server.kind))} at ${server.endpoint} sent an answer Infill could not read (${detail}). Check that \`infill.backend\` matches the server.`);
}

export function interruptedError(server: ServerRef, cause?: unknown): BackendError {
  return new BackendError('interrupted', `The connection to ${serverLabel(server.kind)} was cut before the completion finished${causeSummary(cause)}. The server may have crashed or restarted; try again.`, undefined, { cause });
}

export function noFimError(server: ServerRef, model: string, serverMessage?: string): BackendError {
  const detail = serverMessage ? ` (server said: ${serverMessage})` : '';
  if (server.kind === 'openai' && serverMessage && /suffix/i.test(serverMessage)) {
    // vLLM, TGI and llama.cpp's /v1/completions reject `suffix` whatever the model: the server is the cause.
    return new BackendError('no-fim', `${capitalise(serverLabel(server.kind))} at ${server.endpoint} does not take a \`suffix\`${detail}; that is the server, not the model. Set \`infill.template\` to the model's family so Infill sends its own FIM prompt.`);
  }
  const subject = model ? `${model} ` : 'The model ';
  return new BackendError('no-fim', `${subject}is a chat/instruct model without fill-in-the-middle${detail}; use a base/coder model such as ${SUGGESTED_FIM_MODEL[server.kind]}.`);
}

/** A stream longer than the token limit allows: the server ignores `max_tokens` / `n_predict` / `num_predict`. */
export function overlongError(server: ServerRef, maxTokens: number, what: string): BackendError {
  return new BackendError('malformed', `${capitalise(serverLabel(server.kind))} at ${server.endpoint} sent ${what} for a ${maxTokens}-token limit: it ignores the token limit, so Infill stopped reading. Check the server and \`infill.backend\`.`);
}

/** A 3xx answer: never followed, since the user's code may only go to `infill.endpoint`. */
export function redirectError(server: ServerRef, status: number, location: string): BackendError {
  let target = location ? maskCredentials(location) : 'an address it did not give';
  try { if (location) target = maskCredentials(new URL(location, server.endpoint + '/').toString()); } catch { /* keep the raw text */ }
  return new BackendError('http', `${capitalise(serverLabel(server.kind))} at ${server.endpoint} redirected the request (HTTP ${status}) to ${target}. Infill sends code only to \`infill.endpoint\` and does not follow redirects: if the server moved, set \`infill.endpoint\` to the new address.`, status);
}

export function modelNotFoundError(server: ServerRef, model: string, available: string[] = []): BackendError {
  const choose = available.length ? ` or choose one of: ${available.slice(0, 8).join(', ')}${available.length > 8 ? ', …' : ''}` : '';
  const fetch = server.kind === 'ollama' ? `run \`ollama pull ${model}\`` : 'load it on the server or set `infill.model` to a model the server has';
  return new BackendError('model-not-found', `${capitalise(serverLabel(server.kind))} at ${server.endpoint} has no model "${model}" — ${fetch}${choose}.`, 404);
}

export function authError(server: ServerRef, status: number, serverMessage: string): BackendError {
  const hint = server.kind !== 'ollama'
    ? 'Run "Infill: Set API Key" to store the right key.'
    : 'Check the server\'s access settings.';
  return new BackendError('auth', `${capitalise(serverLabel(server.kind))} refused the request (HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}). ${hint}`, status);
}

/** Reads the human message out of an error body: `{"error":"..."}`, `{"error":{"message":"..."}}`, or text. */
export function serverMessageFrom(bodyText: string): string {
  const text = bodyText.trim();
  if (!text) return '';
  try {
    const json = JSON.parse(text);
    const e = json?.error ?? json?.message ?? json?.detail;
    if (typeof e === 'string') return e;
    if (e && typeof e.message === 'string') return e.message;
  } catch { /* not JSON: use the text */ }
  return text.length > 200 ? text.slice(0, 200) + '…' : text;
}

/** Classifies a non-2xx answer. `model` is the model the request was for (for not-found/no-FIM messages). */
export function httpStatusError(server: ServerRef, status: number, serverMessage: string, model = ''): BackendError {
  const msg = serverMessage.toLowerCase();
  if (status === 401 || status === 403) return authError(server, status, serverMessage);
  if (/does not support insert|infill is not supported|not support.*(suffix|fim|infill)|(suffix|fim|infill).*not (currently )?supported/.test(msg) || status === 501) {
    return noFimError(server, model, serverMessage);
  }
  if (status === 404 && /model/.test(msg) && /not found|does not exist|no such/.test(msg)) {
    return modelNotFoundError(server, model);
  }
  if (status === 404) {
    return new BackendError('http', `${capitalise(serverLabel(server.kind))} at ${server.endpoint} answered 404 Not Found${serverMessage ? ` (${serverMessage})` : ''} — is \`infill.backend\` the right kind for this server?`, status);
  }
  if (status === 503) {
    return new BackendError('http', `${capitalise(serverLabel(server.kind))} is busy or still loading the model (HTTP 503${serverMessage ? `: ${serverMessage}` : ''}); try again in a moment.`, status);
  }
  return new BackendError('http', `${capitalise(serverLabel(server.kind))} answered HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}.`, status);
}

/**
 * Maps anything thrown while talking to a server. Aborts stay aborts (a fresh AbortError) so callers can tell a
 * cancelled request from a failed one; BackendErrors pass through; the rest is unreachable (before the answer
 * started) or interrupted (after).
 */
export function mapFailure(server: ServerRef, err: unknown, signal: AbortSignal | undefined, answered: boolean): Error {
  if (signal?.aborted || isAbortError(err)) return abortError();
  if (err instanceof BackendError) return err;
  return answered ? interruptedError(server, err) : unreachableError(server, err);
}

function causeSummary(cause: unknown): string {
  if (!cause || typeof cause !== 'object') return '';
  const c = cause as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  const code = c.code ?? c.cause?.code;
  if (code) return ` (${code})`;
  const message = c.cause?.message ?? c.message;
  return message && message !== 'fetch failed' ? ` (${maskCredentials(message)})` : '';
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
