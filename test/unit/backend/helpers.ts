// Shared bits for the backend tests: collect a stream, a closed port, an unhandled-rejection watch.
import * as net from 'node:net';
import * as assert from 'node:assert/strict';
import type { Backend, CompletionRequest, CompletionStats } from '../../../src/backend/types';

export async function collect(backend: Backend, request: CompletionRequest, signal = new AbortController().signal): Promise<{ text: string; chunks: string[]; stats?: CompletionStats }> {
  const chunks: string[] = [];
  let stats: CompletionStats | undefined;
  for await (const chunk of backend.stream(request, signal)) {
    chunks.push(chunk.text);
    if (chunk.stats) stats = chunk.stats;
  }
  return { text: chunks.join(''), chunks, stats };
}

/** Resolves to the rejection of `p` (fails when it resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>(r => server.close(() => r()));
  return port;
}

/** Counts unhandled rejections while installed. */
export function watchUnhandled(): { count(): number; reasons: unknown[]; dispose(): void } {
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => { reasons.push(reason); };
  process.on('unhandledRejection', listener);
  return { count: () => reasons.length, reasons, dispose: () => { process.off('unhandledRejection', listener); } };
}

export function baseRequest(overrides: Partial<CompletionRequest> = {}): CompletionRequest {
  return {
    model: 'qwen2.5-coder:1.5b-base',
    prefix: 'def add(a, b):\n    return ',
    suffix: '\n\nprint(add(1, 2))\n',
    maxTokens: 64,
    temperature: 0.1,
    stop: ['<|endoftext|>', '\n\n'],
    ...overrides,
  };
}

export async function waitFor(check: () => boolean, timeoutMs = 1000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 5));
  }
}

/**
 * Runs `total` requests in waves of `wave`, cancelling them at different moments: before sending, on the first
 * chunk, after a few milliseconds, or not at all. Returns how each ended. Any failure other than an abort throws.
 */
export async function rapidAborts(backend: Backend, request: CompletionRequest, total = 120, wave = 20): Promise<{ aborted: number; completed: number }> {
  let aborted = 0;
  let completed = 0;
  for (let start = 0; start < total; start += wave) {
    await Promise.all(Array.from({ length: Math.min(wave, total - start) }, async (_, k) => {
      const i = start + k;
      const controller = new AbortController();
      const mode = i % 4;
      if (mode === 0) controller.abort();
      if (mode === 2) setTimeout(() => controller.abort(), 1 + (i % 13));
      try {
        for await (const chunk of backend.stream(request, controller.signal)) {
          if (mode === 1 && chunk.text) controller.abort();
        }
        completed++;
      } catch (err) {
        if (!(err instanceof Error) || err.name !== 'AbortError') throw err;
        aborted++;
      }
    }));
  }
  return { aborted, completed };
}

/**
 * The rapid-abort check every backend must pass: 120 requests cancelled at different moments against a server
 * streaming slowly leave no unhandled rejection, every request ends, and the server sees real mid-answer aborts.
 */
export async function assertRapidAbortsAreClean(
  server: { set(opts: { respond: () => string; chunkDelayMs: number }): void; requests: { abortedByClient: boolean }[] },
  backend: Backend,
  request: CompletionRequest,
): Promise<void> {
  const watch = watchUnhandled();
  try {
    server.set({ respond: () => 'w'.repeat(100), chunkDelayMs: 1 });
    const { aborted, completed } = await rapidAborts(backend, request, 120);
    await new Promise(r => setTimeout(r, 50));
    assert.equal(watch.count(), 0, watch.reasons.map(String).join('; '));
    assert.equal(aborted + completed, 120);
    assert.ok(aborted >= 60, `aborted ${aborted}`);
    const cut = server.requests.filter(r => r.abortedByClient).length;
    assert.ok(cut >= 25, `only ${cut} requests were aborted mid-answer`);
  } finally {
    watch.dispose();
  }
}
