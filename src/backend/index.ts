// Picks the backend for the configured server kind.
import { HostedFimBackend } from './hostedFim';
import { LlamaCppBackend } from './llamacpp';
import { OllamaBackend } from './ollama';
import { OpenAIBackend } from './openai';
import { BACKEND_KINDS, type Backend, type BackendConfig } from './types';

/** Default first-byte timeout. Generous because Ollama sends no header until a cold model has loaded. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 30000;

export function createBackend(config: BackendConfig): Backend {
  const withDefaults: BackendConfig = { ...config, connectTimeoutMs: config.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS };
  switch (config.kind) {
    case 'ollama': return new OllamaBackend(withDefaults);
    case 'llamacpp': return new LlamaCppBackend(withDefaults);
    case 'openai': return new OpenAIBackend(withDefaults);
    case 'codestral':
    case 'deepseek': return new HostedFimBackend(config.kind, withDefaults);
    default: throw new Error(`Unknown backend kind "${String((config as { kind: unknown }).kind)}" (expected ${BACKEND_KINDS.join(', ')})`);
  }
}

export { HostedFimBackend, LlamaCppBackend, OllamaBackend, OpenAIBackend };
export { BackendError } from './types';
export type { Backend, BackendConfig, BackendKind, CompletionRequest, CompletionStats, ModelInfo, StreamChunk } from './types';
