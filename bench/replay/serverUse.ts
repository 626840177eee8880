// What the server's time went to, by who waited for each request: the user, a speculation (the next suggestion
// before Tab) or a prefill (a prompt read at a new place). Background time counts as wasted when nothing came of it:
// a speculation whose text never reached the screen, a prefill no user request at the same place followed.
import type { CompletionRequest } from '../../src/backend/types';
import type { RequestKind } from '../../src/decisions';
import type { StreamRecord } from './simulatedBackend';

export interface ServerUse {
  /** Server busy time (stream start to end) by request kind, ms. */
  busyMs: Record<RequestKind, number>;
  requests: Record<RequestKind, number>;
  /** Background time whose result was never used, ms. */
  wastedBackgroundMs: number;
  /** Background requests whose result was used (shown, or its prompt reused by the user's request). */
  usedBackground: number;
}

export function emptyServerUse(): ServerUse {
  return { busyMs: { user: 0, speculative: 0, prefill: 0 }, requests: { user: 0, speculative: 0, prefill: 0 }, wastedBackgroundMs: 0, usedBackground: 0 };
}

export function addServerUse(a: ServerUse, b: ServerUse): ServerUse {
  const out = emptyServerUse();
  for (const k of ['user', 'speculative', 'prefill'] as RequestKind[]) {
    out.busyMs[k] = a.busyMs[k] + b.busyMs[k];
    out.requests[k] = a.requests[k] + b.requests[k];
  }
  out.wastedBackgroundMs = a.wastedBackgroundMs + b.wastedBackgroundMs;
  out.usedBackground = a.usedBackground + b.usedBackground;
  return out;
}

/**
 * `kinds` maps each request (as sent) to the engine's request id and kind; `shown` holds the ids whose text reached
 * the screen. A prefill counts as used when the next stream is the user's, on the same line, and reuses its prompt.
 */
export function serverUse(streams: StreamRecord[], kinds: Map<CompletionRequest, { id: number; kind: RequestKind }>, shown: Set<number>): ServerUse {
  const use = emptyServerUse();
  streams.forEach((s, i) => {
    const info = s.request ? kinds.get(s.request) : undefined;
    const kind = info?.kind ?? 'user';
    const busy = (s.endedAt ?? s.startedAt) - s.startedAt;
    use.busyMs[kind] += busy;
    use.requests[kind]++;
    if (kind === 'user') return;
    const next = streams[i + 1];
    const nextKind = next?.request ? kinds.get(next.request)?.kind ?? 'user' : undefined;
    const used = kind === 'speculative'
      ? info !== undefined && shown.has(info.id)
      : next !== undefined && nextKind === 'user' && next.cursorLine === s.cursorLine && next.reusedPromptTokens >= 0.9 * s.promptTokens;
    if (used) use.usedBackground++;
    else use.wastedBackgroundMs += busy;
  });
  return use;
}
