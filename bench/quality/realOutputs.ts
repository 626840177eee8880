// Quality of the post-processor on what real code models emitted (bench/data/real-outputs: raw outputs of
// StarCoder2-3B and DeepSeek-Coder-1.3B-base on HumanEval single-line holes, the cursor on an empty line), side by
// side with the four peer heuristics of simulate.ts and the line-cut ceiling: per record, the best that any cut of
// the raw output at a line end achieves (no line-cutting post-processor can do better). Infill runs through
// `cli.js postprocess` with "multiline": "auto", the editor's own decision and stop sequences. Scored by pass@1
// (prefix + completion + suffix + the task's tests under python3) and exact match (surrounding whitespace
// stripped, the published metric); per model and overall.
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { emptyRunStats, postprocessAll, postprocessCommand, programKey, repoRoot, runPrograms, type RunStats } from './harness';
import { applyHeuristic, HEURISTICS, type HeuristicName } from './simulate';
import { METHOD_LABELS as LABELS, measureMidline, renderMidline, type MidlineResult } from './realMidline';

export const REAL_OUTPUTS_FILE = 'bench/data/real-outputs/humaneval-single-line.dev.jsonl.gz';

export interface RealRecord {
  id: string;
  model: string;
  language: string;
  prefix: string;
  suffix: string;
  output: string;
  reference: string;
  tests: string;
}

export type RealMethod = 'infill' | HeuristicName | 'ceiling';
export const REAL_METHODS: RealMethod[] = ['infill', ...HEURISTICS, 'ceiling'];

export interface RealScore {
  n: number;
  exact: number;
  /** Records whose tests ran (0 without --no-pass). */
  passN: number;
  passed: number;
}

export interface RealGoal {
  name: string;
  target: string;
  measured: string;
  pass: boolean;
}

export interface RealOutputsResult {
  markdown: string;
  records: number;
  /** Scores by method, then by model (short name) and 'all'. */
  scores: Record<RealMethod, Record<string, RealScore>>;
  goalChecks: RealGoal[];
  postprocessor: string;
  timings: { postprocessMs: number; passMs: number } & RunStats;
  /** The mid-line holes derived from the same records (realMidline.ts). */
  midline: MidlineResult;
  /** Records where Infill does worse than the ceiling, for reading (at most 40). */
  misses: { id: string; output: string; completion: string; reference: string; exact: boolean; passed?: boolean }[];
}

export interface RealOutputsOptions {
  /** Only the first N records of each model (a quick look). */
  limit?: number;
  /** Run the tests for pass@1 (python3). Default true. */
  pass?: boolean;
  /** Only these models (short names, e.g. starcoder2-3b); the others are held out. */
  models?: string[];
  cli?: string;
  log?: (line: string) => void;
}

export function shortModel(model: string): string {
  return model.slice(model.lastIndexOf('/') + 1);
}

export function loadRealRecords(root: string): RealRecord[] {
  const text = zlib.gunzipSync(fs.readFileSync(path.join(root, REAL_OUTPUTS_FILE))).toString('utf8');
  return text
    .split('\n')
    .filter(line => line.trim() !== '')
    .map(line => JSON.parse(line) as RealRecord);
}

/** Every cut of the output at a line end (no line, the first line, the first two, ..., all of it). */
export function lineCuts(output: string): string[] {
  const lines = output.split('\n');
  const cuts = new Set<string>();
  for (let end = 0; end <= lines.length; end++) cuts.add(lines.slice(0, end).join('\n'));
  return [...cuts];
}

const exactMatch = (completion: string, reference: string) => completion.trim() === reference.trim();

/** The test program; trailing whitespace is dropped from every line so that equal programs run once. */
function program(record: RealRecord, completion: string): string {
  return `${record.prefix}${completion}${record.suffix}\n${record.tests}\n`.replace(/[ \t]+$/gm, '');
}

function select(records: RealRecord[], options: RealOutputsOptions): RealRecord[] {
  let chosen = records;
  if (options.models) chosen = chosen.filter(r => options.models!.includes(shortModel(r.model)));
  if (options.limit !== undefined) {
    const seen = new Map<string, number>();
    chosen = chosen.filter(r => {
      const n = seen.get(r.model) ?? 0;
      seen.set(r.model, n + 1);
      return n < options.limit!;
    });
  }
  return chosen;
}

export async function runRealOutputBench(options: RealOutputsOptions = {}): Promise<RealOutputsResult> {
  const log = options.log ?? (() => {});
  const pass = options.pass ?? true;
  const root = repoRoot();
  const records = select(loadRealRecords(root), options);
  const models = [...new Set(records.map(r => shortModel(r.model)))];

  const command = postprocessCommand(root, options.cli);
  log(`quality: post-processing ${records.length} real model outputs via ${command.label} ...`);
  const requests = records.map(r => ({ language: r.language, prefix: r.prefix, suffix: r.suffix, output: r.output, multiline: 'auto' as const }));
  const { completions, ms: postprocessMs } = await postprocessAll(command.cli, requests);

  // The candidates of each method per record: one completion, or every line cut for the ceiling.
  const candidates: Record<RealMethod, string[][]> = {} as Record<RealMethod, string[][]>;
  candidates.infill = completions.map(c => [c]);
  for (const h of HEURISTICS) candidates[h] = records.map(r => [applyHeuristic(h, r.output, r.prefix, r.suffix)]);
  candidates.ceiling = records.map(r => lineCuts(r.output));

  const stats = emptyRunStats();
  const passByKey = new Map<string, boolean>();
  let passMs = 0;
  if (pass) {
    const programs = new Map<string, string>();
    for (const method of REAL_METHODS) {
      records.forEach((r, i) => {
        for (const c of candidates[method][i]) {
          const text = program(r, c);
          programs.set(programKey(text), text);
        }
      });
    }
    log(`quality: running the tests of ${programs.size} distinct programs (python3) ...`);
    const started = performance.now();
    for (const [key, passed] of await runPrograms(root, programs, stats)) passByKey.set(key, passed);
    passMs = performance.now() - started;
  }

  const scores = {} as Record<RealMethod, Record<string, RealScore>>;
  const outcome = (method: RealMethod, i: number) => {
    const r = records[i];
    const exact = candidates[method][i].some(c => exactMatch(c, r.reference));
    const passed = pass ? candidates[method][i].some(c => passByKey.get(programKey(program(r, c))) === true) : undefined;
    return { exact, passed };
  };
  for (const method of REAL_METHODS) {
    scores[method] = Object.fromEntries([...models, 'all'].map(m => [m, { n: 0, exact: 0, passN: 0, passed: 0 }]));
    records.forEach((r, i) => {
      const { exact, passed } = outcome(method, i);
      for (const key of [shortModel(r.model), 'all']) {
        const s = scores[method][key];
        s.n++;
        s.exact += exact ? 1 : 0;
        if (passed !== undefined) {
          s.passN++;
          s.passed += passed ? 1 : 0;
        }
      }
    });
  }

  const misses: RealOutputsResult['misses'] = [];
  records.forEach((r, i) => {
    const mine = outcome('infill', i);
    const best = outcome('ceiling', i);
    if (misses.length < 40 && ((best.exact && !mine.exact) || (best.passed && !mine.passed))) {
      misses.push({ id: r.id, output: r.output, completion: completions[i], reference: r.reference, exact: mine.exact, passed: mine.passed });
    }
  });

  const goalChecks = goalsOf(scores, pass);
  log('quality: mid-line holes derived from the same outputs ...');
  const midline = await measureMidline(records, command.cli, { pass, root, stats: emptyRunStats(), modelOf: r => shortModel(r.model) });
  const markdown = render(scores, models, records.length, pass, goalChecks) +
    `\nPost-processing via ${command.label} ("multiline": "auto"): ${records.length} outputs in ${(postprocessMs / 1000).toFixed(1)} s` +
    (pass ? `; tests ${(passMs / 1000).toFixed(1)} s (${stats.programs} distinct programs, ${stats.cached} known from earlier runs, ${stats.timedOut} timed out).` : '.') +
    `\n\n${renderMidline(midline, models, pass)}`;
  return { markdown, records: records.length, scores, goalChecks, postprocessor: command.label, timings: { postprocessMs, passMs, ...stats }, midline, misses };
}

const percent = (a: number, b: number) => (b === 0 ? NaN : (100 * a) / b);

function bestHeuristic(scores: Record<RealMethod, Record<string, RealScore>>, metric: 'exact' | 'pass'): { name: HeuristicName; value: number } {
  const value = (h: HeuristicName) => (metric === 'exact' ? percent(scores[h].all.exact, scores[h].all.n) : percent(scores[h].all.passed, scores[h].all.passN));
  return HEURISTICS.map(name => ({ name, value: value(name) })).sort((a, b) => b.value - a.value)[0];
}

function goalsOf(scores: Record<RealMethod, Record<string, RealScore>>, pass: boolean): RealGoal[] {
  const goals: RealGoal[] = [];
  const all = (m: RealMethod) => scores[m].all;
  if (pass) {
    const mine = percent(all('infill').passed, all('infill').passN);
    const ceiling = percent(all('ceiling').passed, all('ceiling').passN);
    const best = bestHeuristic(scores, 'pass');
    goals.push({ name: `quality (real model outputs): pass@1 − best peer heuristic (${LABELS[best.name]})`, target: '≥ +1.0 point',
      measured: `${mine.toFixed(2)} − ${best.value.toFixed(2)} = ${(mine - best.value).toFixed(2)}`, pass: mine - best.value >= 1 - 1e-9 });
    goals.push({ name: 'quality (real model outputs): pass@1 ÷ line-cut ceiling', target: '≥ 0.98',
      measured: `${mine.toFixed(1)} / ${ceiling.toFixed(1)} = ${(mine / ceiling).toFixed(3)}`, pass: mine / ceiling >= 0.98 });
  }
  const mine = percent(all('infill').exact, all('infill').n);
  const ceiling = percent(all('ceiling').exact, all('ceiling').n);
  const best = bestHeuristic(scores, 'exact');
  goals.push({ name: `quality (real model outputs): exact match vs best peer heuristic (${LABELS[best.name]})`, target: '≥',
    measured: `${mine.toFixed(1)} vs ${best.value.toFixed(1)}`, pass: mine >= best.value - 1e-9 });
  goals.push({ name: 'quality (real model outputs): exact match ÷ line-cut ceiling', target: '≥ 0.90',
    measured: `${mine.toFixed(1)} / ${ceiling.toFixed(1)} = ${(mine / ceiling).toFixed(3)}`, pass: mine / ceiling >= 0.9 });
  return goals;
}

function render(scores: Record<RealMethod, Record<string, RealScore>>, models: string[], n: number, pass: boolean, goals: RealGoal[]): string {
  const columns = [...models, 'all'];
  const header = ['method', ...(pass ? columns.map(m => `pass@1 ${m}`) : []), ...columns.map(m => `EM ${m}`)];
  const lines = [
    `Real model outputs (${REAL_OUTPUTS_FILE}): ${n} raw outputs, HumanEval single-line holes, Python; ` +
      `${columns.slice(0, -1).map(m => `${m} ${scores.infill[m].n}`).join(', ')}. Percent.`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
  ];
  for (const method of REAL_METHODS) {
    const s = scores[method];
    const cells = [
      ...(pass ? columns.map(m => percent(s[m].passed, s[m].passN).toFixed(1)) : []),
      ...columns.map(m => percent(s[m].exact, s[m].n).toFixed(1)),
    ];
    lines.push(`| ${LABELS[method]} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  for (const g of goals) lines.push(`- ${g.name}: ${g.measured} (goal ${g.target}) ${g.pass ? 'met' : 'MISSED'}`);
  return lines.join('\n') + '\n';
}
