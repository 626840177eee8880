// The one interface every model server hides behind: a stream of text chunks that an AbortSignal stops.

export type BackendKind = 'ollama' | 'llamacpp' | 'openai' | 'codestral' | 'deepseek';

export const BACKEND_KINDS: readonly BackendKind[] = ['ollama', 'llamacpp', 'openai', 'codestral', 'deepseek'];

/**
 * Servers that lay out the FIM prompt themselves from prefix and suffix (llama.cpp /infill, the hosted FIM APIs):
 * Infill's template then only lends its stop strings.
 */
export function laysOutFimItself(kind: BackendKind): boolean {
  return kind === 'llamacpp' || kind === 'codestral' || kind === 'deepseek';
}

/** A file snippet sent beside the prompt (llama.cpp `input_extra`; others get it inside the prompt). */
export interface ExtraContext {
  filename: string;
  text: string;
}

export interface CompletionRequest {
  model: string;
  /** The code before and after the hole, already cut to the token budget. */
  prefix: string;
  suffix: string;
  /**
   * The whole prompt with our FIM template applied (repo-level context included). When set, backends send it
   * raw (Ollama `raw: true`, OpenAI `prompt` without `suffix`); when absent they use the server's own FIM
   * support (Ollama `suffix`, llama.cpp `/infill`, OpenAI `suffix`).
   */
  prompt?: string;
  /** Related snippets for servers that take them natively (llama.cpp `input_extra`). */
  extra?: ExtraContext[];
  maxTokens: number;
  temperature: number;
  stop: string[];
  /** Ollama: how long the model stays loaded after the request (e.g. "30m"). */
  keepAlive?: string;
  /** llama.cpp: indentation the suggestion should keep (`n_indent`), and a generation time cap. */
  indent?: number;
  maxPredictMs?: number;
}

/** Figures a server reports when a stream ends (all optional: not every server sends all of them). */
export interface CompletionStats {
  promptTokens?: number;
  /** Prompt tokens the server took from its KV cache instead of evaluating again. */
  cachedPromptTokens?: number;
  generatedTokens?: number;
  loadMs?: number;
  promptMs?: number;
  generationMs?: number;
  /** Why generation ended, in the server's words ("stop", "length", ...). */
  stopReason?: string;
}

export interface StreamChunk {
  text: string;
  /** Present on the last chunk only. */
  stats?: CompletionStats;
}

export interface ModelInfo {
  /** False when the server does not know the model at all. */
  exists: boolean;
  /** True when the model (or the server) fills in the middle natively. Undefined when the server cannot tell. */
  supportsFim?: boolean;
  /** Model family as the server reports it ("qwen2", "starcoder2", "llama", ...). */
  family?: string;
  /** Prompt template text, when the server exposes it (Ollama `template`, llama.cpp chat template). */
  template?: string;
  /** The server's own name for the model, when it differs from the one asked for. */
  name?: string;
  /** Other models the server has, so a message can suggest one. */
  available?: string[];
}

export interface PullProgress {
  status: string;
  completed?: number;
  total?: number;
}

export interface Backend {
  readonly kind: BackendKind;
  readonly endpoint: string;
  /** Streams the completion. Rejects (or throws from the iterator) with a BackendError. */
  stream(request: CompletionRequest, signal: AbortSignal): AsyncIterable<StreamChunk>;
  /** What the server says about a model: exists, FIM support, family, template. */
  modelInfo(model: string, signal?: AbortSignal): Promise<ModelInfo>;
  /** Download a model (Ollama only). */
  pull?(model: string, onProgress: (p: PullProgress) => void, signal: AbortSignal): Promise<void>;
  /** Chat-style generation for commands when the model has no FIM (Ollama only). */
  chat?(request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamChunk>;
}

export interface ChatRequest {
  model: string;
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  maxTokens: number;
  temperature: number;
  stop?: string[];
  keepAlive?: string;
}

export type BackendErrorKind =
  | 'unreachable'     // connection refused, DNS, TLS, timeout before any answer
  | 'model-not-found' // the server answered that it does not have the model
  | 'no-fim'          // the model cannot fill in the middle
  | 'auth'            // 401/403: missing or wrong API key
  | 'http'            // any other 4xx/5xx
  | 'malformed'       // the body was not the wire format we expected
  | 'interrupted';    // the stream was cut before it ended

/** The only error type backends throw, with a message written for the user. Aborts are not errors: see isAbortError. */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface BackendConfig {
  kind: BackendKind;
  endpoint: string;
  apiKey?: string;
  /** Milliseconds to wait for the first byte of a response before giving up as unreachable. */
  connectTimeoutMs?: number;
}
