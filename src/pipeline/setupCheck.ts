// "Is my setup right?": endpoint reachable, model present, fills in the middle, and how fast. Shared by the
// CLI `check` subcommand and the VS Code "Infill: Check Setup" command (which adds the offer to pull).
import type { Backend, BackendKind, CompletionRequest, CompletionStats } from '../backend/types';
import { BackendError } from '../backend/types';
import type { InfillConfig } from '../config/types';
import { buildDocumentContext } from '../document/documentContext';
import { buildCompletionRequest } from '../prompt/buildRequest';
import type { FimFamily, FimTemplate } from '../prompt/types';
import { abortError, isAbortError } from '../util/abort';
import type { Clock } from './clock';
import { realClock } from './clock';
import type { TemplateResult } from './engine';
import { resolveTemplate } from './templateResolver';
import { errorMessage } from '../util/errors';

export type SetupStepName = 'endpoint' | 'model' | 'fim' | 'request';

export interface SetupStep {
  name: SetupStepName;
  ok: boolean;
  message: string;
}

export interface SetupTiming {
  /** Wall-clock time to the first streamed text, and to the end. */
  ttftMs: number;
  totalMs: number;
  /** Server figures, when it reports them (Ollama and llama.cpp do; OpenAI-compatible servers rarely). */
  loadMs?: number;
  promptTokens?: number;
  promptMs?: number;
  promptTokensPerSecond?: number;
  generatedTokens: number;
  generationMs?: number;
  generationTokensPerSecond?: number;
}

export interface SetupReport {
  /** Everything works: a FIM request came back. */
  ok: boolean;
  /** The headline: what works, or the first thing to fix. */
  summary: string;
  /** One line per step, in order, for the log and the CLI. */
  lines: string[];
  /** The server answered but does not have the model (the VS Code command offers to pull it with Ollama). */
  modelMissing: boolean;
  backend: BackendKind;
  endpoint: string;
  model: string;
  reachable: boolean;
  modelExists?: boolean;
  /** Other models the server has, when it lists them. */
  available: string[];
  supportsFim?: boolean;
  family?: FimFamily;
  /** What the timed request produced (raw text), and its figures. */
  sample?: string;
  timing?: SetupTiming;
  steps: SetupStep[];
  /** The model exists but its FIM format cannot be told: the VS Code command asks for it once. */
  familyUnknown?: boolean;
  /** For a failed step: the backend's error kind, so callers can pick an exit code. */
  errorKind?: BackendError['kind'] | 'chat-only' | 'timeout';
}

export interface SetupCheckOptions {
  /** Told what is being checked, step by step. */
  onProgress?: (message: string) => void;
  /** Template resolution; default resolveTemplate(backend, config, signal) with no cache. */
  resolveTemplate?: (backend: Backend, config: InfillConfig, signal: AbortSignal) => Promise<TemplateResult>;
  clock?: Clock;
  /** Tokens for the timed request (default 32). */
  maxTokens?: number;
}

/** A small, familiar hole for the timed request. */
const SAMPLE = {
  text: 'def fibonacci(n: int) -> int:\n    """Return the n-th Fibonacci number."""\n    if n < 2:\n        return n\n    \n',
  position: { line: 4, character: 4 },
};

export async function checkSetup(
  backend: Backend,
  config: InfillConfig,
  signal: AbortSignal,
  options: SetupCheckOptions = {},
): Promise<SetupReport> {
  const clock = options.clock ?? realClock;
  const onProgress = options.onProgress;
  const report: SetupReport = {
    ok: false, summary: '', lines: [], modelMissing: false,
    backend: backend.kind, endpoint: backend.endpoint, model: config.model,
    reachable: false, available: [], steps: [],
  };
  const step = (name: SetupStepName, ok: boolean, message: string) => {
    report.steps.push({ name, ok, message });
    report.lines.push(`${ok ? '✓' : '✗'} ${message}`);
  };
  const fail = (name: SetupStepName, message: string, summary = message): SetupReport => { step(name, false, message); report.summary = summary; return report; };
  const where = `${serverName(backend.kind)} at ${backend.endpoint}`;

  // 1-2. Endpoint and model, in one question to the server.
  onProgress?.(`Reaching ${where}…`);
  let info;
  try {
    info = await backend.modelInfo(config.model, signal);
  } catch (err) {
    if (signal.aborted || isAbortError(err)) throw abortError();
    const message = errorMessage(err);
    if (err instanceof BackendError && err.kind !== 'unreachable') {
      report.reachable = true;
      report.errorKind = err.kind;
      step('endpoint', true, `${where} answers`);
      return fail('model', `Asking about ${config.model} failed: ${message}`);
    }
    report.errorKind = 'unreachable';
    return fail('endpoint', /cannot reach/i.test(message) ? message : `Cannot reach ${where}: ${message}`, `Cannot reach ${where}. ${startHint(backend.kind)}`);
  }
  report.reachable = true;
  step('endpoint', true, `${where} answers`);
  report.available = info.available ?? [];
  report.modelExists = info.exists;
  if (!info.exists) {
    report.modelMissing = true;
    report.errorKind = 'model-not-found';
    return fail('model', missingModelMessage(backend.kind, { model: config.model, where, available: report.available }));
  }
  step('model', true, `Model ${info.name ?? config.model} is available`);

  // 3. Fill-in-the-middle support and the template family.
  onProgress?.('Checking fill-in-the-middle support…');
  const templateResult = await (options.resolveTemplate ?? resolveTemplate)(backend, config, signal);
  if (signal.aborted) throw abortError();
  report.supportsFim = info.supportsFim;
  if ('error' in templateResult) {
    report.supportsFim = templateResult.chatOnly ? false : info.supportsFim;
    report.errorKind = templateResult.chatOnly ? 'chat-only' : templateResult.kind;
    if (templateResult.familyUnknown) report.familyUnknown = true;
    return fail('fim', templateResult.error);
  }
  const template = templateResult.template;
  report.family = template.family;
  const native = info.supportsFim === true ? 'the server reports FIM support' : 'FIM support not reported by the server';
  step('fim', true, `${template.family} FIM template (${template.description}); ${native}`);

  // 4. One timed FIM request.
  onProgress?.('Timing one completion…');
  const answer = await timedRequest(backend, sampleRequest(template, config, options.maxTokens ?? 32), { config, signal, clock });
  if ('failure' in answer) {
    report.errorKind = answer.errorKind;
    return fail('request', answer.failure);
  }
  const { text, timing } = answer;
  report.timing = timing;
  report.sample = text;
  step('request', true, text.trim() ? `FIM request: ${describeTiming(timing)}` : `The FIM request answered, but with no text (${describeTiming(timing)})`);
  report.ok = true;
  report.summary = `${config.model} at ${backend.endpoint} fills in the middle (${template.family} template): ${describeTiming(timing)}`;
  return report;
}

/** Why the model is not there, what is, and how to get it. */
function missingModelMessage(kind: BackendKind, at: { model: string; where: string; available: string[] }): string {
  const others = at.available.length ? ` Available: ${at.available.slice(0, 8).join(', ')}.` : '';
  const pull = kind === 'ollama' ? ` Pull it with: ollama pull ${at.model}` : '';
  return `Model "${at.model}" is not on ${at.where}.${others}${pull}`;
}

/** The timed request: the sample's hole, with the template found, context off. */
function sampleRequest(template: FimTemplate, config: InfillConfig, maxTokens: number): CompletionRequest {
  const doc = buildDocumentContext(
    { uri: 'infill-check://sample.py', relativePath: 'sample.py', languageId: 'python', text: SAMPLE.text, version: 0 },
    SAMPLE.position,
    { prefixTokens: config.maxPrefixTokens, suffixTokens: config.maxSuffixTokens },
  );
  return buildCompletionRequest({ doc, snippets: [], template, config: { ...config, contextEnabled: false }, multiline: true, maxTokens });
}

/** The timed request's outcome: its text and figures, or why it failed. */
type TimedAnswer = { text: string; timing: SetupTiming } | { failure: string; errorKind: SetupReport['errorKind'] };

/** Streams one request, timing its first token and the whole; a caller's abort rejects with an AbortError. */
async function timedRequest(
  backend: Backend, request: CompletionRequest, run: { config: InfillConfig; signal: AbortSignal; clock: Clock },
): Promise<TimedAnswer> {
  const { config, signal, clock } = run;
  const limitMs = Math.max(config.requestTimeoutMs, 60_000);
  const started = clock.now();
  let ttftMs: number | undefined;
  let chunks = 0;
  let text = '';
  let stats: CompletionStats | undefined;
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const timer = new AbortController();
  let timedOut = false;
  clock.sleep(limitMs, timer.signal).then(
    () => { timedOut = true; controller.abort(); },
    () => { /* finished first */ },
  );
  try {
    for await (const chunk of backend.stream(request, controller.signal)) {
      if (chunk.text) {
        ttftMs ??= clock.now() - started;
        chunks++;
        text += chunk.text;
      }
      if (chunk.stats) stats = chunk.stats;
    }
  } catch (err) {
    if (signal.aborted) throw abortError();
    if (timedOut) return { failure: `The FIM request got no complete answer within ${Math.round(limitMs / 1000)} s`, errorKind: 'timeout' };
    return { failure: `The FIM request failed: ${errorMessage(err)}`, errorKind: err instanceof BackendError ? err.kind : undefined };
  } finally {
    signal.removeEventListener('abort', onAbort);
    timer.abort();
  }
  return { text, timing: timingOf({ totalMs: clock.now() - started, ttftMs, chunks, stats }) };
}

/** The request's figures: the server's own where it reports them, else what the client saw. */
function timingOf({ totalMs, ttftMs, chunks, stats }: { totalMs: number; ttftMs?: number; chunks: number; stats?: CompletionStats }): SetupTiming {
  const timing: SetupTiming = {
    ttftMs: ttftMs ?? totalMs,
    totalMs,
    loadMs: stats?.loadMs,
    promptTokens: stats?.promptTokens,
    promptMs: stats?.promptMs,
    generatedTokens: stats?.generatedTokens ?? chunks,
    generationMs: stats?.generationMs,
  };
  if (stats?.promptTokens && stats.promptMs) timing.promptTokensPerSecond = stats.promptTokens / (stats.promptMs / 1000);
  const genMs = stats?.generationMs ?? (ttftMs !== undefined ? totalMs - ttftMs : undefined);
  if (genMs && genMs > 0 && timing.generatedTokens > 1) {
    // Client-side, the first token's time belongs to the prompt: count the tokens after it.
    const tokens = stats?.generationMs ? timing.generatedTokens : timing.generatedTokens - 1;
    timing.generationTokensPerSecond = tokens / (genMs / 1000);
  }
  return timing;
}

export function describeTiming(t: SetupTiming): string {
  const parts = [`first token ${ms(t.ttftMs)}`, `total ${ms(t.totalMs)}`];
  if (t.loadMs !== undefined && t.loadMs >= 1) parts.push(`model load ${ms(t.loadMs)}`);
  if (t.promptTokensPerSecond !== undefined) parts.push(`prompt ${Math.round(t.promptTokensPerSecond)} tokens/s (${t.promptTokens} tokens)`);
  if (t.generationTokensPerSecond !== undefined) parts.push(`generation ${t.generationTokensPerSecond.toFixed(1)} tokens/s`);
  parts.push(`${t.generatedTokens} tokens generated`);
  return parts.join(', ');
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

function serverName(kind: BackendKind): string {
  switch (kind) {
    case 'ollama': return 'Ollama';
    case 'llamacpp': return 'llama.cpp server';
    case 'openai': return 'the OpenAI-compatible server';
    case 'codestral': return 'the Codestral API';
    case 'deepseek': return 'the DeepSeek API';
  }
}

/** What to do when nothing answers at the endpoint. */
export function startHint(kind: BackendKind): string {
  switch (kind) {
    case 'ollama':
      return 'Start Ollama (`ollama serve`, then `ollama pull qwen2.5-coder:1.5b-base`), or point to another server with infill.endpoint (CLI: --endpoint URL).';
    case 'llamacpp':
      return 'Start it with `llama-server -m <model.gguf> --port 8080`, or point to another server with infill.endpoint (CLI: --endpoint URL).';
    case 'openai':
      return 'Start your OpenAI-compatible server (vLLM, LM Studio, ...), or point to it with infill.endpoint (CLI: --endpoint URL).';
    case 'codestral':
    case 'deepseek':
      return 'Check the network connection and infill.endpoint (CLI: --endpoint URL); the API key is set with "Infill: Set API Key" (CLI: INFILL_API_KEY).';
  }
}
