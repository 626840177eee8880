// One model request, from the prompt to the post-processed suggestion: template and context, the pre-request
// plan, the stream (early stop as soon as the post-processor says done, complete lines shown while the rest
// streams, a stop as soon as the user's typing leaves it), then the final text and its timings. What the
// outcome means for the engine (status, cache, back-off, counters) is the engine's business.
import type { BackendKind, CompletionRequest, CompletionStats } from '../backend/types';
import { BackendError } from '../backend/types';
import { compatibleWithStream, type SuggestionAnchor, type TypedAhead } from '../cache/typedThrough';
import type { InfillConfig } from '../config/types';
import type { ContextSnippet } from '../context/types';
import { multilineAt, type RequestKind } from '../decisions';
import type { DocumentContext } from '../document/types';
import { buildCompletionRequest } from '../prompt/buildRequest';
import { PREFILL_MIN_MS, promptText, sizeForSpeed, uncachedTokens, type ServerState } from '../prompt/promptBudget';
import type { FimTemplate } from '../prompt/types';
import { estimateTokens } from '../prompt/tokens';
import { isAbortError, throwIfAborted } from '../util/abort';
import { errorMessage } from '../util/errors';
import { maskCredentials } from '../util/url';
import type { Clock } from './clock';
import type { EngineDeps, EngineFeatures, EngineStatus, RequestRecord, RequestTimings } from './engineTypes';

/** A model request while it runs, shared by every provide() call that waits for it. */
export interface InFlight {
  id: number;
  editorId: string;
  kind: RequestKind;
  doc: DocumentContext;
  anchor: SuggestionAnchor;
  controller: AbortController;
  /** Raw text streamed so far. */
  streamed: string;
  /** The post-processed suggestion, or undefined. Never rejects. */
  result: Promise<string | undefined>;
  done: boolean;
  /** Progressive mode: the suggestion made of the complete lines streamed so far (grows as lines arrive). */
  partial?: string;
  /** Length of the longest partial suggestion handed to a caller before the request ended. */
  shownPartialLength?: number;
  /** Resolved (and replaced) whenever `partial` grows or the request ends. */
  changed: Promise<void>;
  notify: () => void;
  abortReason?: 'diverged' | 'early-stop' | 'timeout' | 'disposed' | 'yielded';
  /**
   * What the user has typed since the anchor, as of the latest keystroke that chose to wait for this request.
   * The user may type ahead of the stream; each new chunk is checked against it so a stream that turns out
   * to diverge stops at once instead of running to its end.
   */
  typedAhead?: TypedAhead;
}

export function newInFlight(fields: Pick<InFlight, 'id' | 'editorId' | 'kind' | 'doc' | 'anchor'>): InFlight {
  const inflight: InFlight = {
    ...fields, controller: new AbortController(), streamed: '', result: Promise.resolve(undefined), done: false,
    changed: Promise.resolve(), notify: () => {},
  };
  resetChanged(inflight);
  return inflight;
}

/**
 * The request's suggestion once it ends, or sooner (progressive mode) its complete lines so far as soon as they
 * reach past what the user has typed since the request started. Never rejects.
 */
export async function textAhead(inflight: InFlight, typed: string): Promise<string | undefined> {
  for (;;) {
    if (inflight.done) return inflight.result;
    const partial = inflight.partial;
    if (partial !== undefined && partial.startsWith(typed) && partial.slice(typed.length).trim() !== '') return partial;
    await inflight.changed;
  }
}

/** Gives the request a fresh `changed` promise; `notify` resolves the current one and makes the next. */
function resetChanged(inflight: InFlight): void {
  let resolve!: () => void;
  inflight.changed = new Promise<void>(r => { resolve = r; });
  inflight.notify = () => { resolve(); resetChanged(inflight); };
}

export interface RunEnv {
  deps: EngineDeps;
  features: EngineFeatures;
  clock: Clock;
  config: InfillConfig;
  /** The server's cache and speed as the engine sees them (prompt sizing); absent = send what the settings allow. */
  server?: ServerState;
}

/**
 * Generated tokens a prefill asks for: llama.cpp reads the prompt and stops with n_predict 0 (cache_prompt keeps
 * it). Ollama's runner (runner/llamarunner and ollamarunner runner.go) stops a sequence only when
 * `numPredict > 0 && numPredicted >= numPredict`, so num_predict 0 would mean no limit: 1 reads the prompt into
 * the slot's input cache and samples one token. OpenAI-compatible servers (llama.cpp, vLLM) take max_tokens 1 too.
 */
export function prefillMaxTokens(kind: BackendKind): number {
  return kind === 'llamacpp' ? 0 : 1;
}

/** Backends worth a prefill: a local server whose cache the next request will use (hosted APIs say nothing of theirs). */
export function prefillsWith(kind: BackendKind): boolean {
  return kind === 'ollama' || kind === 'llamacpp' || kind === 'openai';
}

/** The request for `inflight`, its prompt sized to the server's measured speed (promptBudget.ts). */
function sizedRequest(inflight: InFlight, env: RunEnv,
  parts: { template: FimTemplate; native?: boolean; snippets: ContextSnippet[]; multiline: boolean }): CompletionRequest {
  const { doc } = inflight;
  const { deps, config } = env;
  const build = (prefix: string, snippets: ContextSnippet[]) => buildCompletionRequest({
    doc: prefix === doc.prefix ? doc : { ...doc, prefix }, snippets, template: parts.template, config, multiline: parts.multiline,
    mode: deps.promptMode ?? (parts.native ? 'native' : undefined), repoName: deps.repoName, maxTokens: deps.maxTokens,
  });
  const server = env.server;
  if (!server) return build(doc.prefix, parts.snippets);
  const request = sizeForSpeed({
    prefix: doc.prefix, snippets: parts.snippets, languageId: doc.languageId, build, cutStart: server.cutStart,
    cachedPrompt: server.lastPrompt, msPerToken: server.speed.msPerToken, targetMs: config.promptReadTargetMs,
  });
  if (request.prefix !== doc.prefix) server.cutStart = request.prefix.slice(0, 200);
  return request;
}

/** A prefill whose prompt the server would read in less than PREFILL_MIN_MS saves nothing worth a request. */
function prefillNeeded(request: CompletionRequest, server: ServerState | undefined, languageId: string): boolean {
  const msPerToken = server?.speed.msPerToken;
  if (!server || msPerToken === undefined) return true;
  return uncachedTokens(promptText(request), server.lastPrompt, languageId) * msPerToken >= PREFILL_MIN_MS;
}

/** How a request ended: the record to publish, and for a failure what to tell the user. */
export interface RunResult {
  record: RequestRecord;
  text?: string;
  timings?: RequestTimings;
  failure?: { message: string; kind: NonNullable<EngineStatus['errorKind']> };
}

/** Runs one model request to its end. Never rejects. */
export async function runModelRequest(inflight: InFlight, env: RunEnv): Promise<RunResult> {
  const { doc, controller } = inflight;
  const { deps, config, clock } = env;
  const signal = controller.signal;
  const started = clock.now();
  const record: RequestRecord = { id: inflight.id, editorId: inflight.editorId, uri: doc.uri, outcome: 'aborted', raw: '' };

  // The timeout runs on the engine clock, so virtual-time replays time out in virtual time.
  const timer = new AbortController();
  let timedOut = false;
  clock.sleep(config.requestTimeoutMs, timer.signal).then(
    () => { timedOut = true; inflight.abortReason ??= 'timeout'; controller.abort(); },
    () => { /* cancelled: the request ended first */ },
  );
  try {
    const [templateResult, backend] = await Promise.all([deps.template(signal), deps.backend()]);
    throwIfAborted(signal);
    if ('error' in templateResult) {
      record.outcome = 'error';
      record.error = templateResult.error;
      return { record, failure: { message: templateResult.error, kind: templateResult.chatOnly ? 'chat-only' : templateResult.kind ?? 'no-fim' } };
    }
    const snippets = await gatherContext(doc, env, signal);
    throwIfAborted(signal);
    const multiline = multilineAt(doc, deps.decideMultiline, err => deps.log.debug(`Infill: multiline decision failed: ${errorMessage(err)}`));
    const request = sizedRequest(inflight, env, { template: templateResult.template, native: templateResult.native, snippets, multiline });
    if (inflight.kind === 'prefill') {
      if (!prefillNeeded(request, env.server, doc.languageId)) return { record }; // not sent: no record.request
      request.maxTokens = prefillMaxTokens(backend.kind);
    }
    if (env.server) env.server.lastPrompt = promptText(request);
    record.request = request;
    const promptEstimate = estimateTokens(request.prompt ?? request.prefix + request.suffix, doc.languageId);
    deps.log.debug(`request #${inflight.id} ${doc.relativePath}:${doc.position.line + 1}:${doc.position.character + 1} `
      + `${multiline ? 'multi-line' : 'single-line'} ~${promptEstimate} prompt tokens, ${snippets.length} snippets, `
      + `maxTokens ${request.maxTokens}${inflight.kind === 'user' ? '' : ` (${inflight.kind})`}`);

    const streamed = await streamOutput(inflight, env, backend.stream(request, signal), multiline);
    env.server?.speed.record(streamed.stats);
    // A prefill only reads the prompt into the server's cache: nothing to show, cache or count as generated.
    if (inflight.kind === 'prefill') return { record: { ...record, outcome: 'done' } };
    const { stats, chunks, earlyStopped, ttftMs } = streamed;
    const tokens = stats?.generatedTokens ?? chunks;
    const tokensSaved = earlyStopped ? Math.max(0, request.maxTokens - tokens) : 0;
    // Stopped by the token limit (Ollama and OpenAI say "length", llama.cpp "limit"; without a reason, a stream
    // that used the whole budget).
    const truncated = !earlyStopped && (stats?.stopReason !== undefined ? /^(?:length|limit)$/.test(stats.stopReason) : tokens >= request.maxTokens);
    const text = await deps.postprocessor.process({
      languageId: doc.languageId, prefix: doc.prefix, suffix: doc.suffix, output: inflight.streamed, multiline, truncated,
    });
    const totalMs = clock.now() - started;
    const timings: RequestTimings = {
      ttftMs: ttftMs ?? totalMs, totalMs, tokens,
      promptTokens: stats?.promptTokens ?? promptEstimate,
      cachedPromptTokens: stats?.cachedPromptTokens ?? 0,
      earlyStopped, tokensSaved,
      server: stats && { loadMs: stats.loadMs, promptMs: stats.promptMs, generationMs: stats.generationMs },
    };
    Object.assign(record, { outcome: earlyStopped ? 'early-stop' : 'done', raw: inflight.streamed, text, timings });
    deps.log.debug(`request #${inflight.id} ${earlyStopped ? 'stopped early' : 'done'}: ttft ${Math.round(timings.ttftMs)} ms, `
      + `total ${Math.round(totalMs)} ms, ${tokens} tokens${earlyStopped ? ` (~${tokensSaved} saved)` : ''}, `
      + `prompt ${timings.promptTokens} (${timings.cachedPromptTokens} cached), ${text.length} chars shown`);
    return { record, text, timings };
  } catch (err) {
    return failedRun(err, { inflight, record, env, timedOut });
  } finally {
    timer.abort();
  }
}

/** What a request that threw became: a timeout, an abort (with its reason) or a failure to report. */
function failedRun(err: unknown, run: { inflight: InFlight; record: RequestRecord; env: RunEnv; timedOut: boolean }): RunResult {
  const { inflight, record, env: { config, deps }, timedOut } = run;
  record.raw = inflight.streamed;
  if (timedOut) {
    record.outcome = 'timeout';
    record.error = `No answer from ${maskCredentials(config.endpoint)} within ${Math.round(config.requestTimeoutMs / 1000)} s `
      + `(setting infill.requestTimeoutMs)`;
    return { record, failure: { message: record.error, kind: 'timeout' } };
  }
  if (inflight.controller.signal.aborted || isAbortError(err)) {
    record.outcome = 'aborted';
    record.abortReason = inflight.abortReason;
    deps.log.debug(`request #${inflight.id} aborted (${inflight.abortReason ?? 'cancelled'})`);
    return { record };
  }
  record.outcome = 'error';
  if (err instanceof BackendError) {
    record.error = err.message;
    return { record, failure: { message: err.message, kind: err.kind } };
  }
  record.error = errorMessage(err);
  deps.log.error(`Infill: request #${inflight.id} failed: ${errorMessage(err)}`);
  return { record, failure: { message: `Internal error: ${errorMessage(err)}`, kind: 'internal' } };
}

interface StreamedOutput { stats?: CompletionStats; chunks: number; earlyStopped: boolean; ttftMs?: number }

/** Reads the stream into `inflight.streamed`, stopping early (feature earlyStop) or when the user's typing left it. */
async function streamOutput(inflight: InFlight, env: RunEnv, stream: AsyncIterable<{ text?: string; stats?: CompletionStats }>,
  multiline: boolean): Promise<StreamedOutput> {
  const { controller, doc } = inflight;
  const signal = controller.signal;
  const started = env.clock.now();
  const out: StreamedOutput = { chunks: 0, earlyStopped: false };
  try {
    for await (const chunk of stream) {
      if (chunk.stats) out.stats = chunk.stats;
      if (chunk.text) {
        out.ttftMs ??= env.clock.now() - started;
        out.chunks++;
        inflight.streamed += chunk.text;
        if (inflight.typedAhead && !compatibleWithStream(inflight.streamed, inflight.typedAhead)) {
          // The user typed ahead of the stream and it has now gone another way.
          inflight.abortReason ??= 'diverged';
          controller.abort();
          throwIfAborted(signal);
        }
        if (multiline && env.features.progressive && chunk.text.includes('\n')) await updatePartial(inflight, env, multiline);
        if (env.features.earlyStop && await isComplete(doc, env, inflight.streamed, multiline)) {
          out.earlyStopped = true;
          inflight.abortReason ??= 'early-stop';
          // Abort first so the connection closes even if the backend's cleanup would wait on the body.
          controller.abort();
          break;
        }
      }
      throwIfAborted(signal);
    }
  } catch (err) {
    // Closing a stream we stopped on purpose may throw (an AbortError from the backend's cleanup).
    if (!out.earlyStopped) throw err;
  }
  if (inflight.abortReason !== 'early-stop') throwIfAborted(signal);
  return out;
}

async function gatherContext(doc: DocumentContext, env: RunEnv, signal: AbortSignal): Promise<ContextSnippet[]> {
  if (!env.config.contextEnabled) return [];
  const limit = new AbortController();
  const onAbort = () => limit.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const timeout = env.clock.sleep(env.deps.contextTimeoutMs ?? 250, limit.signal).then(() => {
      env.deps.log.debug('Infill: related context took too long; sending the request without it');
      return [] as ContextSnippet[];
    });
    return await Promise.race([env.deps.context.gather(doc, limit.signal), timeout]);
  } catch (err) {
    if (!signal.aborted) env.deps.log.debug(`Infill: related context failed: ${errorMessage(err)}`);
    return [];
  } finally {
    signal.removeEventListener('abort', onAbort);
    limit.abort();
  }
}

/** Progressive mode: post-processes the complete lines streamed so far, as if the stream had stopped there. */
async function updatePartial(inflight: InFlight, env: RunEnv, multiline: boolean): Promise<void> {
  const doc = inflight.doc;
  const lines = inflight.streamed.slice(0, inflight.streamed.lastIndexOf('\n') + 1);
  try {
    const text = await env.deps.postprocessor.process({
      languageId: doc.languageId, prefix: doc.prefix, suffix: doc.suffix, output: lines, multiline, truncated: true,
    });
    // Only growth is shown: a snapshot that takes back lines (a later rule cut them) waits for the end.
    if (text.trim() !== '' && text.length > (inflight.partial?.length ?? 0) && text.startsWith(inflight.partial ?? '')) {
      inflight.partial = text;
      inflight.notify();
    }
  } catch (err) {
    env.deps.log.debug(`Infill: partial post-processing failed: ${errorMessage(err)}`);
  }
}

async function isComplete(doc: DocumentContext, env: RunEnv, output: string, multiline: boolean): Promise<boolean> {
  try {
    return await env.deps.postprocessor.isComplete({ languageId: doc.languageId, prefix: doc.prefix, suffix: doc.suffix, output, multiline });
  } catch (err) {
    env.deps.log.debug(`Infill: early-stop check failed: ${errorMessage(err)}`);
    return false;
  }
}

export const ABORTED = Symbol('aborted');

/** Resolves with `promise`'s value, or ABORTED as soon as `signal` fires. `promise` must never reject. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise(resolve => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      value => { signal.removeEventListener('abort', onAbort); resolve(value); },
      () => { signal.removeEventListener('abort', onAbort); resolve(ABORTED); },
    );
  });
}
