// How long a llama.cpp-like server takes to answer, as a function of prompt length and of how much of the prompt
// its KV cache already holds. Built from the real-engine measurements (bench/engine) or, without them, from
// defaults measured the same way on a 2-core machine (164M StarCoder-shape, Q8_0, 1 thread).
import type { EngineModelResult } from '../engine/realEngine';

export interface LatencyModel {
  /** Where the figures come from, for the report. */
  source: string;
  /** Time to first token when `promptTokens` are sent and the first `reusedTokens` are already cached. */
  ttftMs(promptTokens: number, reusedTokens: number): number;
  msPerToken: number;
}

interface Point { tokens: number; coldMs: number; stableMs: number; changed: number }

/** Measured with `npm run bench` on a 2-core x86-64 VM, node-llama-cpp 3.22.1, 1 thread (starcoder-164m). */
export const DEFAULT_164M_POINTS: Point[] = [
  { tokens: 128, coldMs: 323, stableMs: 41, changed: 8 },
  { tokens: 256, coldMs: 653, stableMs: 46, changed: 8 },
  { tokens: 512, coldMs: 1378, stableMs: 56, changed: 8 },
  { tokens: 1024, coldMs: 3195, stableMs: 80, changed: 8 },
];
export const DEFAULT_164M_MS_PER_TOKEN = 1000 / 95.7;

function interpolate(points: Point[], tokens: number, f: (p: Point) => number): number {
  if (tokens <= points[0].tokens) return f(points[0]);
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1], b = points[i];
    if (tokens <= b.tokens) return f(a) + ((tokens - a.tokens) / (b.tokens - a.tokens)) * (f(b) - f(a));
  }
  // Past the longest measurement: keep the last slope (attention makes it grow, so this is optimistic).
  const a = points[points.length - 2], b = points[points.length - 1];
  return f(b) + ((tokens - b.tokens) / (b.tokens - a.tokens)) * (f(b) - f(a));
}

export function latencyModelFromPoints(points: Point[], msPerToken: number, source: string): LatencyModel {
  const sorted = [...points].sort((a, b) => a.tokens - b.tokens);
  const perPromptToken = (p: Point) => p.coldMs / p.tokens;
  // What a request costs beyond its new tokens (sampling, attention over the cached part, bookkeeping).
  const fixed = (p: Point) => Math.max(msPerToken, p.stableMs - p.changed * perPromptToken(p));
  return {
    source,
    msPerToken,
    ttftMs(promptTokens, reusedTokens) {
      const total = Math.max(1, promptTokens);
      const fresh = Math.max(1, total - Math.min(reusedTokens, total));
      return interpolate(sorted, total, fixed) + fresh * interpolate(sorted, total, perPromptToken);
    },
  };
}

export function latencyModelFromEngine(m: EngineModelResult): LatencyModel {
  return latencyModelFromPoints(
    m.prompts.map(p => ({ tokens: p.promptTokens, coldMs: p.coldTtftMs, stableMs: p.stableTtftMs, changed: p.changedTokens })),
    m.msPerGeneratedToken,
    `measured this run: ${m.shape} (${m.standsFor}), 1 thread`,
  );
}

export function defaultLatencyModel(): LatencyModel {
  return latencyModelFromPoints(DEFAULT_164M_POINTS, DEFAULT_164M_MS_PER_TOKEN, 'defaults (starcoder-164m, 1 thread, measured earlier on a 2-core VM)');
}
