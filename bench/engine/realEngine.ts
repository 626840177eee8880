// Timing of the real llama.cpp engine (node-llama-cpp, in-process, CPU, 1 thread) on stand-in models with real
// geometry: time to first token against prompt length, cold and with a stable prompt prefix kept in the KV
// cache, and generation speed. The weights are random, so only the timings mean anything.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureModel, ModelShape, CACHE_DIR, BENCH_ROOT } from './models';
import { ensureNodeLlamaCpp, importNodeLlamaCpp, NlcModel, NlcSequence, NODE_LLAMA_CPP_VERSION } from './install';

export interface PromptTiming {
  promptTokens: number;
  /**
   * Best of the repetitions: time to first token with an empty KV cache. The best, not the median, because on a
   * shared 2-core machine any other process preempts the single thread; the best run is the engine's own speed.
   */
  coldTtftMs: number;
  /** Best time to first token when all but the last `changedTokens` tokens are already in the KV cache. */
  stableTtftMs: number;
  /** Medians of the same runs, to show how noisy the machine was. */
  coldTtftMedianMs: number;
  stableTtftMedianMs: number;
  changedTokens: number;
  /** Prompt evaluation speed of the cold run. */
  coldPromptTokPerS: number;
}

export interface EngineModelResult {
  shape: ModelShape;
  standsFor: string;
  fileBytes: number;
  generatedMs: number;
  loadMs: number;
  prompts: PromptTiming[];
  /** Generation after a 256-token prompt (best of the repetitions; median beside it). */
  genTokPerS: number;
  genTokPerSMedian: number;
  msPerGeneratedToken: number;
  /** Prompt speed over the longest cold prompt. */
  promptTokPerS: number;
  /** Share of the stable-prefix TTFT vs cold at the longest prompt (lower is better). */
  stableVsCold: number;
}

export interface EngineResult {
  available: boolean;
  /** Why the engine part did not run (install failed, unsupported platform ...). */
  reason?: string;
  nodeLlamaCpp: string;
  llamaCpp?: string;
  cpu: string;
  threads: number;
  /** 1-minute load average before and after the engine runs (above the core count = timings disturbed). */
  loadBefore: number;
  loadAfter: number;
  installMs: number;
  models: EngineModelResult[];
}

export interface EngineBenchOptions {
  shapes?: ModelShape[];
  promptLengths?: number[];
  /** Repetitions per measurement; default 5 for the 164M shape (the replay's speeds come from it), 3 otherwise. */
  reps?: number;
  changedTokens?: number;
  generateTokens?: number;
  cacheDir?: string;
  log?: (line: string) => void;
}

/** Real code to tokenize for prompts: the TypeScript compiler's own library typings (long, varied, installed). */
function promptSourceText(): string {
  const candidates = [
    path.join(BENCH_ROOT, '..', 'node_modules', 'typescript', 'lib', 'lib.dom.d.ts'),
    path.join(BENCH_ROOT, '..', 'node_modules', 'typescript', 'lib', 'lib.es5.d.ts'),
  ];
  for (const c of candidates) if (fs.existsSync(c)) return fs.readFileSync(c, 'utf8').slice(0, 200_000);
  // Fallback: this bench's own sources.
  return fs.readdirSync(__dirname).filter(f => f.endsWith('.js')).map(f => fs.readFileSync(path.join(__dirname, f), 'utf8')).join('\n').repeat(20);
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const best = (xs: number[]) => Math.min(...xs);

/** Builds a FIM prompt of exactly `n` tokens: <fim_prefix> prefix <fim_suffix> suffix <fim_middle>, suffix 1/4. */
function fimPrompt(model: NlcModel, code: number[], n: number, start: number): number[] {
  const pre = model.tokenize('<fim_prefix>', true), suf = model.tokenize('<fim_suffix>', true), mid = model.tokenize('<fim_middle>', true);
  const body = n - pre.length - suf.length - mid.length;
  const suffixLen = Math.floor(body / 4), prefixLen = body - suffixLen;
  const at = start % Math.max(1, code.length - body - 1);
  return [...pre, ...code.slice(at, at + prefixLen), ...suf, ...code.slice(at + prefixLen, at + body), ...mid];
}

/** Evaluates `prompt` reusing whatever leading tokens the sequence already holds; returns TTFT and token times. */
async function timedRequest(seq: NlcSequence, prompt: number[], generate: number): Promise<{ ttftMs: number; totalMs: number; generated: number; reused: number }> {
  const have = seq.contextTokens;
  let common = 0;
  while (common < have.length && common < prompt.length - 1 && have[common] === prompt[common]) common++;
  const t0 = performance.now();
  if (common < seq.nextTokenIndex) await seq.eraseContextTokenRanges([{ start: common, end: seq.nextTokenIndex }]);
  let ttftMs = 0, generated = 0;
  for await (const _token of seq.evaluate(prompt.slice(common))) {
    if (generated === 0) ttftMs = performance.now() - t0;
    if (++generated >= generate) break;
  }
  return { ttftMs, totalMs: performance.now() - t0, generated, reused: common };
}

export async function runEngineBench(opts: EngineBenchOptions = {}): Promise<EngineResult> {
  const log = opts.log ?? (() => {});
  const shapes = opts.shapes ?? ['starcoder-164m', 'qwen2-0.5b'];
  const lengths = opts.promptLengths ?? [128, 256, 512, 1024];
  const repsFor = (shape: ModelShape) => opts.reps ?? (shape === 'starcoder-164m' ? 5 : 3);
  const changed = opts.changedTokens ?? 8;
  const generateTokens = opts.generateTokens ?? 48;
  const cacheDir = opts.cacheDir ?? CACHE_DIR;
  const result: EngineResult = {
    available: false, nodeLlamaCpp: NODE_LLAMA_CPP_VERSION, cpu: os.cpus()[0]?.model ?? 'unknown', threads: 1, installMs: 0, models: [],
    loadBefore: os.loadavg()[0], loadAfter: 0,
  };
  let llama;
  try {
    log(`engine: installing node-llama-cpp ${NODE_LLAMA_CPP_VERSION} into ${path.relative(process.cwd(), cacheDir)} (once) ...`);
    const install = await ensureNodeLlamaCpp(cacheDir);
    result.installMs = install.installedMs;
    const nlc = await importNodeLlamaCpp(install);
    // 1 thread: this machine has 2 cores, and a second thread was slower while the other core was busy.
    llama = await nlc.getLlama({ gpu: false, build: 'never', maxThreads: 1, logLevel: 'error', progressLogs: false });
    result.llamaCpp = `${llama.llamaCppRelease.release} (${llama.buildType})`;
  } catch (err) {
    result.reason = `node-llama-cpp unavailable: ${(err as Error).message.split('\n')[0]}`;
    log(`engine: ${result.reason}`);
    return result;
  }
  try {
    const text = promptSourceText();
    for (const shape of shapes) {
      const reps = repsFor(shape);
      const gen = ensureModel(shape, cacheDir);
      log(`engine: ${shape} model ${gen.cached ? 'cached' : `generated in ${(gen.generatedMs / 1000).toFixed(1)} s`} (${(gen.bytes / 1e6).toFixed(0)} MB)`);
      const tLoad = performance.now();
      const model = await llama.loadModel({ modelPath: gen.path });
      const maxLen = Math.max(...lengths);
      const context = await model.createContext({
        contextSize: maxLen + generateTokens + 64, batchSize: maxLen + 64, threads: { ideal: 1, min: 1 },
      });
      const seq = context.getSequence();
      const loadMs = performance.now() - tLoad;
      const code = model.tokenize(text);
      // Warm-up: first evaluation allocates buffers; not part of any figure.
      await seq.clearHistory();
      await timedRequest(seq, fimPrompt(model, code, 64, 0), 2);

      const prompts: PromptTiming[] = [];
      for (const n of lengths) {
        const cold: number[] = [], stable: number[] = [], speeds: number[] = [];
        for (let r = 0; r < reps; r++) {
          const prompt = fimPrompt(model, code, n, 997 * (r + 1) + n);
          await seq.clearHistory();
          const c = await timedRequest(seq, prompt, 1);
          cold.push(c.ttftMs);
          speeds.push(n / (c.ttftMs / 1000));
          // The next keystrokes change only the last few tokens: the server keeps the rest in its KV cache.
          const next = [...prompt.slice(0, n - changed), ...code.slice(50 + r * changed, 50 + (r + 1) * changed)];
          const s = await timedRequest(seq, next, 1);
          stable.push(s.ttftMs);
        }
        const t: PromptTiming = {
          promptTokens: n, coldTtftMs: best(cold), stableTtftMs: best(stable), coldTtftMedianMs: median(cold), stableTtftMedianMs: median(stable),
          changedTokens: changed, coldPromptTokPerS: Math.max(...speeds),
        };
        prompts.push(t);
        log(`engine: ${shape} prompt ${n}: cold TTFT ${t.coldTtftMs.toFixed(0)} ms, stable-prefix TTFT ${t.stableTtftMs.toFixed(0)} ms`);
      }
      const genSpeeds: number[] = [];
      for (let r = 0; r < reps; r++) {
        await seq.clearHistory();
        const g = await timedRequest(seq, fimPrompt(model, code, 256, 31 * r), generateTokens);
        if (g.generated > 1) genSpeeds.push((g.generated - 1) / ((g.totalMs - g.ttftMs) / 1000));
      }
      const genTokPerS = Math.max(...genSpeeds);
      const longest = prompts[prompts.length - 1];
      result.models.push({
        shape, standsFor: gen.spec.standsFor, fileBytes: gen.bytes, generatedMs: gen.generatedMs, loadMs,
        prompts, genTokPerS, genTokPerSMedian: median(genSpeeds), msPerGeneratedToken: 1000 / genTokPerS, promptTokPerS: longest.coldPromptTokPerS,
        stableVsCold: longest.stableTtftMs / longest.coldTtftMs,
      });
      log(`engine: ${shape} generation ${genTokPerS.toFixed(1)} tok/s`);
      await context.dispose();
      await model.dispose();
    }
    result.available = result.models.length > 0;
  } catch (err) {
    result.reason = `engine run failed: ${(err as Error).message}`;
    log(`engine: ${result.reason}`);
  } finally {
    await llama.dispose().catch(() => {});
    result.loadAfter = os.loadavg()[0];
  }
  return result;
}
