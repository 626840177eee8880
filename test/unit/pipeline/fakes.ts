// In-test fakes for the engine: a virtual clock, a scripted backend, a trivial post-processor.
import * as net from 'node:net';
import type { Backend, CompletionRequest, CompletionStats, ModelInfo, StreamChunk } from '../../../src/backend/types';
import { DEFAULT_CONFIG, type InfillConfig } from '../../../src/config/types';
import type { DocumentSnapshot } from '../../../src/document/types';
import type { Clock } from '../../../src/pipeline/clock';
import { createBackend } from '../../../src/backend';
import { decideMultiline } from '../../../src/decisions';
import { CompletionEngine, type EngineDeps, type EngineStatus, type RequestRecord } from '../../../src/pipeline/engine';
import { TemplateResolver } from '../../../src/pipeline/templateResolver';
import { createPostprocessor } from '../../../src/postprocess';
import type { Postprocessor } from '../../../src/postprocess/types';
import type { FimTemplate } from '../../../src/prompt/types';
import { abortError, sleep } from '../../../src/util/abort';
import { silentLogger } from '../../../src/util/log';

/** Lets pending promise callbacks and I/O callbacks run. */
export async function flush(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise(resolve => setImmediate(resolve));
}

interface Timer { at: number; resolve(): void; seq: number }

/** Virtual time: sleeps resolve only when the test advances the clock. */
export class FakeClock implements Clock {
  private t = 0;
  private seq = 0;
  private timers: Timer[] = [];

  now(): number { return this.t; }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(abortError());
      const timer: Timer = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => { signal.removeEventListener('abort', onAbort); resolve(); },
      };
      const onAbort = () => {
        this.timers = this.timers.filter(x => x !== timer);
        reject(abortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  get pendingTimers(): number { return this.timers.length; }

  /** Moves time forward by `ms`, firing due timers in order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    await flush();
    for (;;) {
      const due = this.timers.filter(x => x.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter(x => x !== due);
      this.t = Math.max(this.t, due.at);
      due.resolve();
      await flush();
    }
    this.t = target;
    await flush();
  }
}

/** A gate the test opens to let a streaming backend go on. */
export class Gate {
  private waiters: (() => void)[] = [];
  open(): void { const w = this.waiters; this.waiters = []; w.forEach(f => f()); }
  wait(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(abortError());
      const onAbort = () => reject(abortError());
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(() => { signal.removeEventListener('abort', onAbort); resolve(); });
    });
  }
}

export interface ScriptedBackendOptions {
  /** Chunks to stream for each request (a function of the request, or a fixed list). */
  chunks: string[] | ((request: CompletionRequest, index: number) => string[]);
  /** When set, every chunk waits for the gate to open. */
  gate?: Gate;
  /** Throw this instead of streaming (after `failAfterChunks` chunks, default 0). */
  fail?: (request: CompletionRequest, index: number) => Error | undefined;
  failAfterChunks?: number;
  /** Real-time delay before each chunk (ms), for tests that race against the wall clock. */
  chunkDelayMs?: () => number;
  /** The server's stop reason in the last chunk's stats (none when unset). */
  stopReason?: string;
  /** More server figures for the last chunk's stats (load, prompt and generation times). */
  serverStats?: Partial<CompletionStats>;
}

/** A Backend that streams scripted chunks and records what happened to each request. */
export class ScriptedBackend implements Backend {
  readonly kind = 'ollama' as const;
  readonly endpoint = 'http://fake';
  readonly requests: CompletionRequest[] = [];
  /** Per request: chunks handed out, and whether the consumer stopped early or aborted. */
  readonly log: { pulled: number; aborted: boolean; returned: boolean; finished: boolean }[] = [];

  constructor(private readonly options: ScriptedBackendOptions) {}

  stream(request: CompletionRequest, signal: AbortSignal): AsyncIterable<StreamChunk> {
    const index = this.requests.length;
    this.requests.push(request);
    const entry = { pulled: 0, aborted: false, returned: false, finished: false };
    this.log.push(entry);
    signal.addEventListener('abort', () => { entry.aborted = true; }, { once: true });
    const options = this.options;
    const chunks = typeof options.chunks === 'function' ? options.chunks(request, index) : options.chunks;
    async function* generate(): AsyncGenerator<StreamChunk> {
      try {
        for (let i = 0; i < chunks.length; i++) {
          if (options.fail && i === (options.failAfterChunks ?? 0)) {
            const err = options.fail(request, index);
            if (err) throw err;
          }
          if (options.gate) await options.gate.wait(signal);
          else if (options.chunkDelayMs) await sleep(options.chunkDelayMs(), signal);
          else await Promise.resolve();
          if (signal.aborted) throw abortError();
          entry.pulled++;
          const last = i === chunks.length - 1;
          yield last ? { text: chunks[i], stats: { generatedTokens: chunks.length, promptTokens: 100, stopReason: options.stopReason, ...options.serverStats } } : { text: chunks[i] };
        }
        if (options.fail && chunks.length <= (options.failAfterChunks ?? 0)) {
          const err = options.fail(request, index);
          if (err) throw err;
        }
        entry.finished = true;
      } finally {
        if (!entry.finished) entry.returned = true;
      }
    }
    return generate();
  }

  async modelInfo(): Promise<ModelInfo> {
    return { exists: true, supportsFim: true, family: 'qwen2' };
  }
}

/** Qwen-style layout, enough for the engine (the real templates are tested by their own suite). */
export const testTemplate: FimTemplate = {
  family: 'qwen',
  description: 'test',
  build: input => `<|fim_prefix|>${input.prefix}<|fim_suffix|>${input.suffix}<|fim_middle|>`,
  stop: ['<|endoftext|>'],
};

/** Single-line: the first line of the output; complete once a line end arrived. Multi-line: up to a blank line. */
export const firstLinePostprocessor: Postprocessor = {
  async process(input) {
    const out = input.output;
    if (input.multiline) {
      const blank = out.indexOf('\n\n');
      return (blank === -1 ? out : out.slice(0, blank)).trimEnd();
    }
    return out.split('\n')[0].trimEnd();
  },
  async isComplete(input) {
    return input.multiline ? input.output.includes('\n\n') : input.output.includes('\n');
  },
};

/**
 * The defaults, with the adaptive debounce of 75-400 ms the engine tests are written against (the default asks at
 * once: engineDefaults.test.ts), so the wait, its cancellation and the prefill during it are exercised.
 */
export function testConfig(overrides: Partial<InfillConfig> = {}): InfillConfig {
  return { ...DEFAULT_CONFIG, contextEnabled: false, debounceMinMs: 75, debounceMaxMs: 400, ...overrides };
}

export function engineDeps(backend: Backend, overrides: Partial<EngineDeps> & { configOverrides?: Partial<InfillConfig> } = {}): EngineDeps {
  const config = testConfig(overrides.configOverrides);
  return {
    config: () => config,
    backend: async () => backend,
    template: async () => ({ template: testTemplate }),
    context: { gather: async () => [] },
    postprocessor: firstLinePostprocessor,
    decideMultiline: () => false,
    log: silentLogger,
    ...overrides,
    // Background requests (speculation.test.ts) would change every request count here: on only where asked for.
    features: { speculate: false, prefill: false, ...overrides.features },
  };
}

/**
 * The engine with the real stages against a server at `endpoint` speaking Ollama's wire format: the Ollama
 * backend, the template resolver, the post-processor and the multi-line decision. Records what it reports.
 */
export function realStagesEngine(endpoint: string, overrides: Partial<InfillConfig> = {}) {
  const config = testConfig({ endpoint, ...overrides });
  const backend = createBackend({ kind: 'ollama', endpoint, connectTimeoutMs: 2000 });
  const resolver = new TemplateResolver();
  const engine = new CompletionEngine({
    config: () => config,
    backend: async () => backend,
    template: signal => resolver.resolve(backend, config, signal),
    context: { gather: async () => [] },
    postprocessor: createPostprocessor(),
    decideMultiline,
    log: silentLogger,
  });
  const statuses: EngineStatus[] = [];
  const records: RequestRecord[] = [];
  engine.onStatus(status => statuses.push(status));
  engine.onRequest(record => records.push(record));
  return { engine, statuses, records };
}

export function snapshot(text: string, languageId = 'python', uri = 'file:///w/a.py'): DocumentSnapshot {
  return { uri, relativePath: uri.split('/').pop()!, languageId, text, version: 1 };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}
