// How much of a prompt a server can reuse from the previous one: llama.cpp (cache_prompt) and Ollama keep the
// KV cache of the longest common leading token run, so everything after the first differing token is recomputed.

export interface PrefixReuse {
  /** Characters shared at the start of both prompts. */
  sharedChars: number;
  /** sharedChars / length of the new prompt (0..1). */
  charShare: number;
  /** Whole tokens shared at the start (tokens from the given tokenizer, or the rough code tokenizer below). */
  sharedTokens: number;
  /** sharedTokens / tokens of the new prompt (0..1). */
  tokenShare: number;
}

/** A rough stand-in for a BPE tokenizer: words, runs of spaces, single punctuation marks. */
export function roughTokens(text: string): string[] {
  return text.match(/[A-Za-z0-9_]+|[ \t]+|\r?\n|[^\sA-Za-z0-9_]/g) ?? [];
}

export function promptPrefixReuse(previous: string, next: string, tokenize: (t: string) => string[] = roughTokens): PrefixReuse {
  let sharedChars = 0;
  const n = Math.min(previous.length, next.length);
  while (sharedChars < n && previous.charCodeAt(sharedChars) === next.charCodeAt(sharedChars)) sharedChars++;
  const a = tokenize(previous);
  const b = tokenize(next);
  let sharedTokens = 0;
  const m = Math.min(a.length, b.length);
  while (sharedTokens < m && a[sharedTokens] === b[sharedTokens]) sharedTokens++;
  return {
    sharedChars,
    charShare: next.length ? sharedChars / next.length : 1,
    sharedTokens,
    tokenShare: b.length ? sharedTokens / b.length : 1,
  };
}
