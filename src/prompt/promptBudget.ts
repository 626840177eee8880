// A prompt sized to the server's speed. A local server on a CPU reads a few hundred prompt tokens a second, so a
// request whose prompt the server's cache does not hold (a new file, a jump) can wait seconds before its first
// token. The server's own timings (llama.cpp `timings.prompt_ms`, Ollama `prompt_eval_duration`) tell how fast it
// reads; the part of the prompt its cache cannot hold is then cut so that reading it stays under a target
// (setting infill.promptReadTargetMs), keeping whatever the cache holds: related files first, then the nearest code.
import type { CompletionRequest, CompletionStats } from '../backend/types';
import { estimateTokens, takeTailByTokens } from './tokens';

/** Readings of fewer new tokens than this say more about the server's fixed cost per request than its speed. */
export const MIN_SPEED_SAMPLE_TOKENS = 64;
/** The smallest prefix worth sending (tokens before the cursor line). */
export const MIN_PREFIX_TOKENS = 64;
const EMA_WEIGHT = 0.3;

/** The server's prompt reading speed, from its own timings. */
export class PromptSpeed {
  private msPerTokenValue: number | undefined;

  /** A finished request's figures: the tokens the server read (not taken from its cache) and how long it took. */
  record(stats: CompletionStats | undefined): void {
    if (!stats || stats.promptMs === undefined || stats.promptTokens === undefined) return;
    const read = stats.promptTokens - (stats.cachedPromptTokens ?? 0);
    if (read < MIN_SPEED_SAMPLE_TOKENS || !(stats.promptMs > 0)) return;
    const sample = stats.promptMs / read;
    this.msPerTokenValue = this.msPerTokenValue === undefined ? sample : this.msPerTokenValue + EMA_WEIGHT * (sample - this.msPerTokenValue);
  }

  /** Milliseconds per prompt token, or undefined before the first usable reading. */
  get msPerToken(): number | undefined {
    return this.msPerTokenValue;
  }
}

/** What the engine knows of the server: the prompt it read last (its one slot's cache) and its reading speed. */
export class ServerState {
  lastPrompt = '';
  /** The first characters of the last prefix that was cut (sizeForSpeed keeps cutting there while it fits). */
  cutStart = '';
  readonly speed = new PromptSpeed();
}

/** A prefill is worth sending when the server would spend at least this long reading the new place's prompt. */
export const PREFILL_MIN_MS = 100;

/**
 * The text the server reads for a request, in its order: the templated prompt, or for servers that lay out FIM
 * themselves (llama.cpp /infill) the extra files, the prefix without the cursor line, the suffix, then that line.
 */
export function promptText(request: Pick<CompletionRequest, 'prompt' | 'prefix' | 'suffix' | 'extra'>): string {
  if (request.prompt !== undefined) return request.prompt;
  const lineStart = request.prefix.lastIndexOf('\n') + 1;
  const extra = (request.extra ?? []).map(e => `${e.filename}\n${e.text}`).join('\n');
  return `${extra}\u0000${request.prefix.slice(0, lineStart)}\u0000${request.suffix}\u0000${request.prefix.slice(lineStart)}`;
}

/** Estimated tokens of `prompt` after the part it shares with `cached` (what the server has to read). */
export function uncachedTokens(prompt: string, cached: string, languageId?: string): number {
  const n = Math.min(prompt.length, cached.length);
  let i = 0;
  while (i < n && prompt.charCodeAt(i) === cached.charCodeAt(i)) i++;
  return estimateTokens(prompt.slice(i), languageId);
}

export interface SizingInput<S> {
  /** The prefix (up to the cursor) and the related snippets the settings allow. */
  prefix: string;
  snippets: S[];
  languageId: string;
  /** Builds the request for a (shorter) prefix and a set of snippets. */
  build(prefix: string, snippets: S[]): CompletionRequest;
  /** What the server's cache holds (the last prompt it read). */
  cachedPrompt: string;
  msPerToken: number | undefined;
  /** Longest time the server may spend reading the prompt (0 = no limit). */
  targetMs: number;
  /** Where the previous cut prefix started (its first characters): cutting there again keeps the cache. */
  cutStart?: string;
}

/**
 * The request with everything the settings allow when the server can read its uncached part within the target
 * (or its speed is not known yet); else one whose prefix is cut from the top to fit, keeping the related snippets
 * when they are cached (they come first), or without them when even that does not fit. The cursor line is kept.
 */
export function sizeForSpeed<S>(input: SizingInput<S>): CompletionRequest {
  const full = input.build(input.prefix, input.snippets);
  const { msPerToken, targetMs, cachedPrompt, languageId } = input;
  if (!msPerToken || targetMs <= 0) return full;
  const cost = (r: CompletionRequest) => uncachedTokens(promptText(r), cachedPrompt, languageId) * msPerToken;
  if (cost(full) <= targetMs) return full;
  const allowed = Math.floor(targetMs / msPerToken);
  const lineStart = input.prefix.lastIndexOf('\n') + 1;
  const head = input.prefix.slice(0, lineStart), line = input.prefix.slice(lineStart);
  // Cut the lines above the cursor line only: typing along the line then keeps the cut (and the cache) in place.
  const cut = (tokens: number, snippets: S[]) => input.build(takeTailByTokens(head, tokens, languageId) + line, snippets);
  const snippetChoices = input.snippets.length ? [input.snippets, []] : [input.snippets];
  // The previous cut, if the prefix still reaches back to it and it fits: the server's cache holds it. Tried with
  // and without the snippets, since that cut may have dropped them: a fresh cut's size depends on the line's length
  // and the speed reading, so recutting at each key would move the start and lose the cache.
  const at = input.cutStart ? head.lastIndexOf(input.cutStart) : -1;
  for (const snippets of at >= 0 ? snippetChoices : []) {
    const same = input.build(head.slice(at) + line, snippets);
    if (cost(same) <= targetMs) return same;
  }
  for (const snippets of snippetChoices) {
    const rest = uncachedTokens(promptText(input.build(line, snippets)), cachedPrompt, languageId);
    const room = allowed - rest;
    if (room >= MIN_PREFIX_TOKENS) return cut(room, snippets);
  }
  return cut(MIN_PREFIX_TOKENS, []);
}
