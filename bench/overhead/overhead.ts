// The extension's own cost per suggestion: each pipeline stage timed on generated files of 1k, 10k and 50k
// lines with 20 open tabs, at seeded cursor positions. Model time is not in here: only what Infill adds.
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_CONFIG, type InfillConfig } from '../../src/config/types';
import type { ContextProvider } from '../../src/context/types';
import { createNodeContextProvider } from '../../src/context/index';
import { buildDocumentContext } from '../../src/document/documentContext';
import type { DocumentSnapshot } from '../../src/document/types';
import { buildCompletionRequest } from '../../src/prompt/buildRequest';
import { CACHE_DIR } from '../engine/models';
import { loadPipelineParts, type PipelineParts } from '../replay/pipelineParts';
import { percentile } from '../replay/replay';
import { seededRandom } from '../replay/typist';
import { ensureWorkspace } from './generate';

export const STAGES = ['documentContext', 'contextGathering', 'promptBuilding', 'postprocessing'] as const;
export type Stage = typeof STAGES[number];

export interface StageStats { p50Ms: number; p95Ms: number; maxMs: number }

export interface OverheadSize {
  lines: number;
  openTabs: number;
  iterations: number;
  idleMs: number;
  stages: Record<Stage, StageStats>;
  /** Per-suggestion sum of the stages. */
  total: StageStats;
  /** One early-stop check (runs on every streamed chunk, off the critical path but on the CPU). */
  isCompleteCall: StageStats;
  /** Requests made further along the same line as the previous one (per-line caches may answer). */
  sameLine: { stages: Record<Stage, StageStats>; total: StageStats };
}

/** Requests timed after each new-position request, a few characters further along its line. */
const SAME_LINE_FOLLOWUPS = 3;

type Samples = Record<Stage | 'total' | 'isComplete', number[]>;
const newSamples = (): Samples => ({ documentContext: [], contextGathering: [], promptBuilding: [], postprocessing: [], total: [], isComplete: [] });
type Timing = Record<Stage | 'total' | 'isComplete', number>;
function record(into: Samples, t: Timing): void { for (const k of Object.keys(into) as (keyof Samples)[]) into[k].push(t[k]); }
function stageStats(s: Samples): Record<Stage, StageStats> {
  return {
    documentContext: stats(s.documentContext), contextGathering: stats(s.contextGathering),
    promptBuilding: stats(s.promptBuilding), postprocessing: stats(s.postprocessing),
  };
}

/** One suggestion's worth of extension work at (line, character), each stage timed. */
async function timeOneSuggestion(parts: PipelineParts, context: ContextProvider, snap: DocumentSnapshot, line: number, character: number,
  offset: number, config: InfillConfig): Promise<Timing> {
  // What a model would return here: the file's own next 200 characters (so post-processing has real work).
  const rawOutput = snap.text.slice(offset, offset + 200);
  const t0 = performance.now();
  const doc = buildDocumentContext(snap, { line, character }, { prefixTokens: config.maxPrefixTokens, suffixTokens: config.maxSuffixTokens });
  const t1 = performance.now();
  const snippets = await context.gather(doc, new AbortController().signal);
  const t2 = performance.now();
  const multiline = parts.decideMultiline({ languageId: doc.languageId, prefix: doc.prefix, suffix: doc.suffix });
  buildCompletionRequest({ doc, snippets, template: parts.template, config, multiline });
  const t3 = performance.now();
  await parts.postprocessor.process({ languageId: doc.languageId, prefix: doc.prefix, suffix: doc.suffix, output: rawOutput, multiline });
  const t4 = performance.now();
  await parts.postprocessor.isComplete({ languageId: doc.languageId, prefix: doc.prefix, suffix: doc.suffix, output: rawOutput.slice(0, 60), multiline });
  const t5 = performance.now();
  return {
    documentContext: t1 - t0, contextGathering: t2 - t1, promptBuilding: t3 - t2, postprocessing: t4 - t3, total: t4 - t0, isComplete: t5 - t4,
  };
}

export interface OverheadResult {
  sizes: OverheadSize[];
  provenance: PipelineParts['provenance'];
  node: string;
  cpu: string;
}

export interface OverheadOptions {
  sizes?: number[];
  openTabs?: number;
  iterations?: number;
  /**
   * Real idle time before each new-position request. In the editor a request always follows a debounce wait (at
   * least debounceMinMs), during which background work of the previous request (re-indexing) finishes.
   */
  idleMs?: number;
  /** Context provider stat cache lifetime (provider default when unset), to tell revalidation cost apart. */
  statTtlMs?: number;
  dir?: string;
  log?: (line: string) => void;
}

function stats(xs: number[]): StageStats {
  return { p50Ms: percentile(xs, 50), p95Ms: percentile(xs, 95), maxMs: Math.max(0, ...xs) };
}

// The pause before each request at a new place: a fast typist's gap between two keys. The default debounce is 0, so
// in the editor a request follows each key; this gap is all the idle time background work gets before one.
const TYPING_GAP_MS = 75;

export async function runOverheadBench(opts: OverheadOptions = {}): Promise<OverheadResult> {
  const log = opts.log ?? (() => {});
  const sizes = opts.sizes ?? [1000, 10_000, 50_000];
  const tabs = opts.openTabs ?? 20;
  const iterations = opts.iterations ?? 200;
  const idleMs = opts.idleMs ?? TYPING_GAP_MS;
  const dir = opts.dir ?? path.join(CACHE_DIR, 'overhead');
  const parts = loadPipelineParts('qwen'); // the default model's family, as in the replay
  const config = { ...DEFAULT_CONFIG };
  const results: OverheadSize[] = [];

  for (const lines of sizes) {
    const ws = ensureWorkspace(dir, lines, tabs);
    const context = createNodeContextProvider({
      workspace: ws.root, openFiles: [ws.mainPath, ...ws.tabPaths], maxContextTokens: config.maxContextTokens, statTtlMs: opts.statTtlMs,
    });
    const snapshot: DocumentSnapshot = {
      uri: ws.mainPath, relativePath: 'src/main.ts', languageId: 'typescript', text: ws.mainText, version: 1,
    };
    const lineStarts = [0];
    for (let i = 0; i < ws.mainText.length; i++) if (ws.mainText[i] === '\n') lineStarts.push(i + 1);
    const random = seededRandom(lines);
    const fresh = newSamples(), sameLine = newSamples();
    const warmup = Math.min(20, Math.ceil(iterations / 5));
    let version = 1;
    for (let it = 0; it < warmup + iterations; it++) {
      const line = 1 + Math.floor(random() * (lineStarts.length - 3));
      const lineText = ws.mainText.slice(lineStarts[line], lineStarts[line + 1] - 1);
      let character = Math.floor(random() * (lineText.length + 1));
      // A request at a new place, then SAME_LINE_FOLLOWUPS more as the user moves along that line.
      for (let k = 0; k <= SAME_LINE_FOLLOWUPS; k++) {
        if (k > 0) character = Math.min(lineText.length, character + 1 + Math.floor(random() * 3));
        else if (idleMs > 0) await new Promise(resolve => setTimeout(resolve, idleMs));
        // In the editor the document being edited is itself an open document, a new version at every key: its
        // per-version work (the secret check, its names, its index) is part of every request.
        const current = { ...snapshot, version: ++version };
        context.openDocuments[0] = current;
        const t = await timeOneSuggestion(parts, context, current, line, character, lineStarts[line] + character, config);
        if (it >= warmup) record(k === 0 ? fresh : sameLine, t);
      }
    }
    const size: OverheadSize = {
      lines, openTabs: tabs, iterations, idleMs,
      stages: stageStats(fresh), total: stats(fresh.total), isCompleteCall: stats(fresh.isComplete),
      sameLine: { stages: stageStats(sameLine), total: stats(sameLine.total) },
    };
    results.push(size);
    log(`overhead: ${lines} lines, ${tabs} tabs: total p50 ${size.total.p50Ms.toFixed(2)} ms, p95 ${size.total.p95Ms.toFixed(2)} ms `
      + `(same line as the previous request: p95 ${size.sameLine.total.p95Ms.toFixed(2)} ms)`);
  }
  return { sizes: results, provenance: parts.provenance, node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown' };
}
