// A model server in virtual time. Its output is the file's true continuation at the cursor (what the user is
// about to type, then whatever follows), so an ideal pipeline accepts it, or (realistic model) that continuation
// as a real small model gets it right or wrong (realisticModel.ts); its latency follows the measured prompt and
// generation speeds, with a one-slot KV cache like llama.cpp's server and Ollama.
import type { Backend, CompletionRequest, ModelInfo, StreamChunk } from '../../src/backend/types';
import { estimateTokens } from '../../src/prompt/tokens';
import type { LatencyModel } from './latencyModel';
import type { VirtualClock } from './virtualClock';

/** Splits text into token-like pieces (words, runs of spaces, single symbols), about BPE's granularity on code. */
export function pseudoTokens(text: string): string[] {
  return text.match(/[A-Za-z_][A-Za-z0-9_]{0,5}|[0-9]{1,3}|\n|[ \t]{1,4}|[^\sA-Za-z0-9_]|\s/g) ?? [];
}

export interface StreamRecord {
  startedAt: number;
  endedAt?: number;
  promptTokens: number;
  reusedPromptTokens: number;
  /** The cursor line of the request and its prompt, to measure reuse while typing along a line. */
  cursorLine: number;
  generatedTokens: number;
  /** Tokens the server would have produced had nobody aborted it (to its stop sequence or token limit). */
  fullTokens: number;
  aborted: boolean;
  /** True when the post-processor said "complete" while this stream was running (the engine's early stop). */
  earlyStopSignalled: boolean;
  firstTokenAt?: number;
  /** Time the server spent reading the prompt (to the abort, or in full). */
  promptMs?: number;
  /** The request as sent (the replay maps it back to the engine's request and its kind). */
  request?: CompletionRequest;
}

/** Where the true text continues for a request; the replay knows, the server does not. */
export interface TruthOracle {
  /** The text from the request's cursor to the end of the finished file, and the cursor's line. */
  continuationFor(request: CompletionRequest): Continuation | undefined;
}

export interface Continuation {
  text: string;
  line: number;
  /** The finished file and the cursor's offset in it (for the realistic model's plausible wrong code). */
  fileText: string;
  cursor: number;
}

/** What the server writes for a request, before its stops and token limit: the ideal model writes `truth.text`. */
export type OutputModel = (request: CompletionRequest, truth: Continuation) => string;

export const idealModel: OutputModel = (_request, truth) => truth.text;

/**
 * llama.cpp (and Ollama's runner) read a prompt in micro-batches of 512 tokens and notice a cancelled request
 * only between them: an aborted prompt evaluation holds the slot to the end of its batch, whose tokens stay cached.
 */
export const PROMPT_BATCH_TOKENS = 512;

export class SimulatedBackend implements Backend {
  readonly kind = 'llamacpp' as const;
  readonly endpoint = 'simulated://bench';
  readonly streams: StreamRecord[] = [];
  private cachedPrompt = '';
  private active: StreamRecord | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly clock: VirtualClock, private readonly latency: LatencyModel, private readonly truth: TruthOracle,
    private readonly model: OutputModel = idealModel) {}

  /** The harness calls this when the post-processor reports a finished suggestion for the running stream. */
  markEarlyStop(): void {
    if (this.active) this.active.earlyStopSignalled = true;
  }

  async modelInfo(): Promise<ModelInfo> {
    return { exists: true, supportsFim: true, family: 'starcoder', name: 'simulated-starcoder-164m' };
  }

  stream(request: CompletionRequest, signal: AbortSignal): AsyncIterable<StreamChunk> {
    return this.run(request, signal);
  }

  private async *run(request: CompletionRequest, signal: AbortSignal): AsyncGenerator<StreamChunk> {
    // One slot: a request waits for the previous one to end (aborted ones end at once).
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>(r => { release = r; });
    try {
      await previous;
      yield* this.serve(request, signal);
    } finally {
      release();
    }
  }

  private async *serve(request: CompletionRequest, signal: AbortSignal): AsyncGenerator<StreamChunk> {
    const promptText = request.prompt ?? `${(request.extra ?? []).map(e => e.filename + e.text).join('')}${request.prefix}\u0000${request.suffix}`;
    const common = commonPrefixLength(this.cachedPrompt, promptText);
    const promptTokens = estimateTokens(promptText);
    const reused = Math.min(promptTokens, estimateTokens(promptText.slice(0, common)));
    const truth = this.truth.continuationFor(request);
    const output = planOutput(truth ? this.model(request, truth) : '', request);
    const record: StreamRecord = {
      startedAt: this.clock.now(), promptTokens, reusedPromptTokens: reused, cursorLine: truth?.line ?? -1,
      generatedTokens: 0, fullTokens: output.tokens.length, aborted: false, earlyStopSignalled: false, request,
    };
    this.streams.push(record);
    this.active = record;
    // The server keeps what it evaluated, even when the client goes away mid-prompt (llama.cpp keeps the slot's
    // tokens): the cache holds the shared part plus whatever share of the new part was read before the abort.
    this.cachedPrompt = promptText.slice(0, common);
    const promptMs = this.latency.ttftMs(promptTokens, reused);
    const started = this.clock.now();
    try {
      try {
        await this.clock.sleep(promptMs, signal);
      } catch (err) {
        // Cancelled mid-prompt: the server reads on to the end of its current batch (the slot stays busy).
        const fresh = Math.max(1, promptTokens - reused);
        const msPerFresh = promptMs / fresh;
        const readTokens = Math.min(fresh, Math.ceil((this.clock.now() - started) / msPerFresh / PROMPT_BATCH_TOKENS) * PROMPT_BATCH_TOKENS);
        const batchEnd = started + readTokens * msPerFresh;
        if (batchEnd > this.clock.now()) await this.clock.sleep(batchEnd - this.clock.now(), new AbortController().signal);
        this.cachedPrompt = promptText.slice(0, common + Math.floor((promptText.length - common) * (readTokens / fresh)));
        throw err;
      }
      this.cachedPrompt = promptText;
      for (let i = 0; i < output.tokens.length; i++) {
        if (i > 0) await this.clock.sleep(this.latency.msPerToken, signal);
        record.generatedTokens++;
        if (i === 0) record.firstTokenAt = this.clock.now();
        const last = i === output.tokens.length - 1;
        yield last ? { text: output.tokens[i], stats: stats() } : { text: output.tokens[i] };
      }
      if (output.tokens.length === 0) yield { text: '', stats: stats() };
    } catch (err) {
      if (signal.aborted) record.aborted = true;
      throw err;
    } finally {
      // A consumer that stops iterating (return()) is an abort as far as the server is concerned.
      if (record.generatedTokens < record.fullTokens) record.aborted = true;
      record.endedAt = this.clock.now();
      record.promptMs = Math.min(promptMs, record.endedAt - started);
      if (this.active === record) this.active = undefined;
    }
    function stats() {
      return {
        promptTokens, cachedPromptTokens: reused, generatedTokens: record.generatedTokens,
        stopReason: output.stopReason, promptMs,
      };
    }
  }
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The server's output: the continuation cut at the first stop sequence or at the token limit. */
export function planOutput(continuation: string, request: Pick<CompletionRequest, 'stop' | 'maxTokens'>): { tokens: string[]; stopReason: string } {
  let text = continuation;
  let stopReason = 'length';
  let cut = -1;
  for (const s of request.stop) {
    if (!s) continue;
    const at = text.indexOf(s);
    if (at >= 0 && (cut < 0 || at < cut)) cut = at;
  }
  if (cut >= 0) { text = text.slice(0, cut); stopReason = 'stop'; }
  let tokens = pseudoTokens(text);
  if (tokens.length > request.maxTokens) { tokens = tokens.slice(0, request.maxTokens); stopReason = 'length'; }
  else if (cut < 0 && tokens.length < request.maxTokens) stopReason = 'stop'; // end of file: end-of-text token
  return { tokens, stopReason };
}
