// Every user-facing setting, as plain data. The VS Code adapter reads them from `infill.*` settings
// (package.json `contributes.configuration` mirrors these names and defaults); the CLI from its flags.
import type { BackendKind } from '../backend/types';
import type { FimFamily } from '../prompt/types';

export interface InfillConfig {
  enabled: boolean;
  /** Language ids where ghost text is off. */
  disabledLanguages: string[];
  backend: BackendKind;
  endpoint: string;
  model: string;
  /** 'auto' = detect from the server (Ollama /api/show, llama.cpp /props) and the model name. */
  template: FimFamily | 'auto';
  /** Token budgets. */
  maxPrefixTokens: number;
  maxSuffixTokens: number;
  maxContextTokens: number;
  /** Generation. */
  maxTokensSingleLine: number;
  maxTokensMultiline: number;
  temperature: number;
  keepAlive: string;
  /** Debounce bounds in ms; the actual delay adapts between them to typing speed and latency. */
  debounceMinMs: number;
  debounceMaxMs: number;
  /** Give up on a request after this long without a finished suggestion. */
  requestTimeoutMs: number;
  /**
   * Longest time the server may spend reading the part of a prompt its cache does not hold, at its measured speed
   * (src/prompt/promptBudget.ts): a longer prefix is cut from the top. 0 = no limit.
   */
  promptReadTargetMs: number;
  /** Related-file context. */
  contextEnabled: boolean;
  exclude: string[];
  /** Files larger than this are not completed (and not read for context). */
  maxFileBytes: number;
  /** Keep the local statistics record (Infill: Show Statistics). */
  recordStatistics: boolean;
}

export const DEFAULT_ENDPOINTS: Record<BackendKind, string> = {
  ollama: 'http://127.0.0.1:11434',
  llamacpp: 'http://127.0.0.1:8080',
  openai: 'http://127.0.0.1:8000',
  codestral: 'https://codestral.mistral.ai',
  deepseek: 'https://api.deepseek.com',
};

/** The model a backend uses when the user has not set `infill.model` (hosted APIs name their own). */
export const DEFAULT_MODELS: Partial<Record<BackendKind, string>> = {
  codestral: 'codestral-latest',
  deepseek: 'deepseek-chat',
};

export const DEFAULT_CONFIG: InfillConfig = {
  enabled: true,
  disabledLanguages: ['plaintext', 'markdown', 'scminput'],
  backend: 'ollama',
  endpoint: DEFAULT_ENDPOINTS.ollama,
  model: 'qwen2.5-coder:1.5b-base',
  template: 'auto',
  maxPrefixTokens: 1024,
  // Small on purpose: the suffix follows the prefix in a prefix-suffix-middle prompt, so the server evaluates it
  // again at every new line (about 0.3 s per 128 tokens for a 164M model on one CPU core); along a line it stays
  // cached, the line's typed text coming after the middle token.
  maxSuffixTokens: 128,
  maxContextTokens: 512,
  maxTokensSingleLine: 64,
  // Room for a whole function of a few dozen lines: the early stop ends the stream where the suggestion ends, so
  // a higher limit costs tokens only where the code really is that long (bench: same tokens generated as 256,
  // 13% fewer requests).
  maxTokensMultiline: 384,
  temperature: 0.1,
  keepAlive: '30m',
  // No wait after a keystroke (as llama.vscode): a request the typing leaves behind is stopped at once and the
  // server keeps the prompt it read, so waiting bought fewer requests only at the cost of later ghost text
  // (replay, realistic server: new text p50 159 ms against 390 ms with the 75-400 ms adaptive debounce).
  debounceMinMs: 0,
  debounceMaxMs: 0,
  requestTimeoutMs: 15000,
  promptReadTargetMs: 500,
  contextEnabled: true,
  exclude: [],
  maxFileBytes: 1_000_000,
  recordStatistics: true,
};
