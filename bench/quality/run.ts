// Quality benchmark of the post-processor over OpenAI's HumanEval infilling tasks (MIT, copied into
// bench/data/human-eval-infilling). For each task, raw model outputs are simulated from the reference
// middle (see simulate.ts) and sent through `node dist/cli.js postprocess` as a subprocess, exactly as a
// user's outputs would be; the results are scored by exact match and by pass@1 (the task's tests run by
// python3 in forked subprocesses, at most 2 at a time). Raw outputs and simple peer heuristics are scored
// beside it.
//
// The real-output bench (realOutputs.ts: what real models emitted, against the peer heuristics and the line-cut
// ceiling) runs after it and its table and goals are part of the result.
//
//   node out/bench/quality/run.js [--quick] [--limit N] [--sets single-line,multi-line,random-span]
//                                 [--no-pass] [--cli path/to/cli.js] [--out file.json]
//                                 [--real-only | --no-real] [--models starcoder2-3b,...]
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { emptyRunStats, postprocessAll, postprocessCommand, programKey, repoRoot, runPrograms } from './harness';
import { runRealOutputBench, type RealOutputsOptions, type RealOutputsResult } from './realOutputs';
import { applyHeuristic, HEURISTICS, rngFor, simulate, SIMULATIONS, type InfillTask, type SimulationName } from './simulate';

const SETS: Record<string, string> = {
  'single-line': 'HumanEval-SingleLineInfilling.jsonl.gz',
  'multi-line': 'HumanEval-MultiLineInfilling.jsonl.gz',
  'random-span': 'HumanEval-RandomSpanInfilling.jsonl.gz',
};
const QUICK_PER_SET = 40;

export interface Options {
  quick: boolean;
  limit?: number;
  sets: string[];
  pass: boolean;
  cli?: string;
  out?: string;
  /** The real-output bench: beside the simulated one (default), alone, or not at all. */
  real: 'with' | 'only' | 'none';
  /** Real outputs of these models only (short names); the others are held out. */
  models?: string[];
}

function parseArgs(argv: string[]): Options {
  const options: Options = { quick: false, sets: Object.keys(SETS), pass: true, real: 'with' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--quick') options.quick = true;
    else if (arg === '--limit') options.limit = Number(value());
    else if (arg === '--sets') options.sets = value().split(',');
    else if (arg === '--no-pass') options.pass = false;
    else if (arg === '--cli') options.cli = value();
    else if (arg === '--out') options.out = value();
    else if (arg === '--real-only') options.real = 'only';
    else if (arg === '--no-real') options.real = 'none';
    else if (arg === '--models') options.models = value().split(',');
    else throw new Error(`unknown argument ${arg}`);
  }
  for (const set of options.sets) if (!SETS[set]) throw new Error(`unknown set ${set} (known: ${Object.keys(SETS).join(', ')})`);
  if (options.limit !== undefined && !(options.limit > 0)) throw new Error('--limit needs a positive number');
  return options;
}

function loadTasks(root: string, set: string): InfillTask[] {
  const file = path.join(root, 'bench/data/human-eval-infilling', SETS[set]);
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  return text
    .split('\n')
    .filter(line => line.trim() !== '')
    .map(line => JSON.parse(line) as InfillTask);
}

/** A deterministic sample of `count` tasks spread over the set. */
function sample(tasks: InfillTask[], count: number): InfillTask[] {
  if (count >= tasks.length) return tasks;
  const rng = rngFor(`sample/${tasks.length}/${count}`);
  const shuffled = tasks.map(task => ({ task, key: rng() })).sort((a, b) => a.key - b.key);
  return shuffled.slice(0, count).map(entry => entry.task);
}

interface Case {
  set: string;
  task: InfillTask;
  simulation: SimulationName;
  output: string;
}

/**
 * The test program. Trailing whitespace is removed from every line: it never changes what Python code
 * does here (HumanEval tests do not look at docstrings), and it lets equal programs run once.
 */
function program(task: InfillTask, completion: string): string {
  const text = `${task.prompt}${completion}${task.suffix}\n${task.test}\ncheck(${task.entry_point})\n`;
  return text.replace(/[ \t]+$/gm, '');
}

/** Exact match ignores trailing whitespace (at line ends and at the end), which the post-processor strips. */
const trimEnd = (text: string) => text.split('\n').map(line => line.trimEnd()).join('\n').trimEnd();
const METHODS = ['oracle', 'infill', 'raw', ...HEURISTICS] as const;
type Method = (typeof METHODS)[number];

export interface Score {
  n: number;
  exact: number;
  passed: number;
  passN: number;
}

function emptyScore(): Score {
  return { n: 0, exact: 0, passed: 0, passN: 0 };
}

function ratio(a: number, b: number): string {
  return b === 0 ? 'n/a' : (a / b).toFixed(3);
}

/** One goal of the quality bench, in the shape `npm run bench` puts in its goals table. */
export interface QualityGoal {
  name: string;
  target: string;
  measured: string;
  pass: boolean;
}

export interface QualityResult {
  /** The table and goal lines the CLI prints, as markdown. */
  markdown: string;
  date: string;
  options: Options;
  tasks: Record<string, number>;
  postprocessor: string;
  timings: { postprocessMs: number; passMs: number; totalMs: number; programs: number; timedOut: number; childSeconds: number };
  goals: Record<string, unknown>;
  /** The goals above, one row each, for the goals table of `npm run bench`. */
  goalChecks: QualityGoal[];
  scores: Record<string, Record<string, Record<string, Score>>>;
  misses: { task: string; simulation: string; output: string; completion: string; expected: string }[];
  /** The real-output bench (its table and goals are also in markdown and goalChecks). */
  real?: RealOutputsResult;
}

export interface QualityBenchOptions {
  /** 40 tasks per set instead of all of them. */
  quick?: boolean;
  limit?: number;
  sets?: string[];
  /** Run the tasks' tests for pass@1 (python3). Default true. */
  pass?: boolean;
  cli?: string;
  /** Also the real-output bench (default true); with quick or limit, on the first records of each model. */
  real?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** The quality bench as a function (for `npm run bench`): scores, goals and the markdown table; writes no file. */
export async function runQualityBench(opts: QualityBenchOptions = {}): Promise<QualityResult> {
  const options: Options = {
    quick: opts.quick ?? false, limit: opts.limit, sets: opts.sets ?? Object.keys(SETS), pass: opts.pass ?? true, cli: opts.cli,
    real: opts.real === false ? 'none' : 'with',
  };
  for (const set of options.sets) if (!SETS[set]) throw new Error(`unknown set ${set} (known: ${Object.keys(SETS).join(', ')})`);
  return withRealOutputs(await measure(options, opts.log ?? (() => {})), options, opts.log ?? (() => {}));
}

/** Records of each model the real-output bench reads with --quick. */
const QUICK_REAL_PER_MODEL = 150;

function realOptions(options: Options, log: (line: string) => void): RealOutputsOptions {
  return { limit: options.quick ? QUICK_REAL_PER_MODEL : options.limit, pass: options.pass, models: options.models, cli: options.cli, log };
}

/** Adds the real-output bench's table and goals to the simulated bench's result. */
async function withRealOutputs(result: QualityResult, options: Options, log: (line: string) => void): Promise<QualityResult> {
  if (options.real === 'none') return result;
  const real = await runRealOutputBench(realOptions(options, log));
  return { ...result, markdown: `${result.markdown}\n\n${real.markdown}`, goalChecks: [...result.goalChecks, ...real.goalChecks], real };
}

async function measure(options: Options, log: (line: string) => void): Promise<QualityResult> {
  const root = repoRoot();
  const started = performance.now();
  const cases: Case[] = [];
  const taskCounts: Record<string, number> = {};
  for (const set of options.sets) {
    let tasks = loadTasks(root, set);
    const count = options.quick ? QUICK_PER_SET : options.limit;
    if (count !== undefined) tasks = sample(tasks, options.quick && options.limit ? Math.min(options.limit, count) : count);
    taskCounts[set] = tasks.length;
    for (const task of tasks) for (const simulation of SIMULATIONS) cases.push({ set, task, simulation, output: simulate(task, simulation) });
  }

  const command = postprocessCommand(root, options.cli);
  log(`quality: post-processing ${cases.length} simulated outputs via ${command.label} ...`);
  const requests = cases.map(c => ({ language: 'python', prefix: c.task.prompt, suffix: c.task.suffix, output: c.output }));
  const { completions, ms: postprocessMs } = await postprocessAll(command.cli, requests);

  // Completions per method per case.
  const byMethod: Record<Method, string[]> = {} as Record<Method, string[]>;
  byMethod.oracle = cases.map(c => c.task.canonical_solution);
  byMethod.infill = completions;
  byMethod.raw = cases.map(c => c.output);
  for (const heuristic of HEURISTICS) byMethod[heuristic] = cases.map(c => applyHeuristic(heuristic, c.output, c.task.prompt, c.task.suffix));

  // pass@1: every distinct program once.
  let passMs = 0;
  const runStats = emptyRunStats();
  const passByHash = new Map<string, boolean>();
  const hashes: Record<Method, string[]> = {} as Record<Method, string[]>;
  if (options.pass) {
    const programs = new Map<string, string>();
    for (const method of METHODS) {
      hashes[method] = cases.map((c, i) => {
        const text = program(c.task, byMethod[method][i]);
        const hash = programKey(text);
        programs.set(hash, text);
        return hash;
      });
    }
    log(`quality: running the tests of ${programs.size} distinct programs (python3) ...`);
    const passStarted = performance.now();
    for (const [hash, passed] of await runPrograms(root, programs, runStats)) passByHash.set(hash, passed);
    passMs = performance.now() - passStarted;
  }

  // Scores: per method, per simulation, per set.
  const scores: Record<string, Record<string, Record<string, Score>>> = {};
  for (const method of METHODS) {
    scores[method] = {};
    for (const simulation of [...SIMULATIONS, 'all']) {
      scores[method][simulation] = {};
      for (const set of [...options.sets, 'all']) scores[method][simulation][set] = emptyScore();
    }
    cases.forEach((c, i) => {
      const exact = trimEnd(byMethod[method][i]) === trimEnd(c.task.canonical_solution) ? 1 : 0;
      const passed = options.pass ? (passByHash.get(hashes[method][i]) ? 1 : 0) : 0;
      for (const simulation of [c.simulation, 'all']) {
        for (const set of [c.set, 'all']) {
          const score = scores[method][simulation][set];
          score.n++;
          score.exact += exact;
          if (options.pass) {
            score.passN++;
            score.passed += passed;
          }
        }
      }
    });
  }

  // Report.
  const rate = (s: Score, metric: 'exact' | 'pass') => (metric === 'exact' ? s.exact / s.n : s.passN ? s.passed / s.passN : NaN);
  const metrics: ('exact' | 'pass')[] = options.pass ? ['exact', 'pass'] : ['exact'];
  const lines: string[] = [];
  lines.push(`HumanEval infilling, ${Object.entries(taskCounts).map(([s, n]) => `${s} ${n}`).join(', ')} tasks; ${cases.length} simulated outputs per method.`);
  lines.push('');
  const header = ['method', ...SIMULATIONS.flatMap(s => metrics.map(m => `${s} ${m === 'exact' ? 'EM' : 'pass@1'}`)), ...metrics.map(m => `all ${m === 'exact' ? 'EM' : 'pass@1'}`)];
  lines.push(`| ${header.join(' | ')} |`);
  lines.push(`|${header.map(() => '---').join('|')}|`);
  for (const method of METHODS) {
    const cells = [...SIMULATIONS, 'all'].flatMap(sim => metrics.map(m => rate(scores[method][sim].all, m).toFixed(3)));
    lines.push(`| ${method} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  // Goals.
  const goals: Record<string, unknown> = {};
  const goalChecks: QualityGoal[] = [];
  for (const metric of metrics) {
    const ofOracle = SIMULATIONS.map(sim => rate(scores.infill[sim].all, metric) / rate(scores.oracle[sim].all, metric));
    const bestHeuristic = HEURISTICS.map(h => ({ h, value: rate(scores[h].all.all, metric) })).sort((a, b) => b.value - a.value)[0];
    const overBest = rate(scores.infill.all.all, metric) / bestHeuristic.value;
    goals[metric] = { ofOracleBySimulation: Object.fromEntries(SIMULATIONS.map((s, i) => [s, ofOracle[i]])), bestHeuristic: bestHeuristic.h, overBestHeuristic: overBest };
    const label = metric === 'exact' ? 'exact match' : 'pass@1';
    goalChecks.push({
      name: `quality (HumanEval infilling): post-processed ${label} ÷ the reference's, every simulated model-output kind`, target: '≥ 0.95',
      measured: SIMULATIONS.map((s, i) => `${s} ${ofOracle[i].toFixed(3)}`).join(', '), pass: ofOracle.every(x => x >= 0.95),
    });
    goalChecks.push({
      name: `quality: post-processed ${label} ÷ best peer heuristic (${bestHeuristic.h}), all simulations`, target: '≥ 1.3×',
      measured: `${overBest.toFixed(2)}×`, pass: overBest >= 1.3,
    });
    lines.push(
      `${metric === 'exact' ? 'Exact match' : 'pass@1'}: infill / oracle per simulation ${SIMULATIONS.map((s, i) => `${s} ${ofOracle[i].toFixed(3)}`).join(', ')} (goal >= 0.95); ` +
        `infill / best heuristic (${bestHeuristic.h}) over all simulations ${overBest.toFixed(2)}x (goal >= 1.3x).`,
    );
  }
  if (options.pass) {
    const exactInfill = scores.infill.exact.all;
    const exactOracle = scores.oracle.exact.all;
    goals.exactPassUnchanged = exactInfill.passed === exactOracle.passed;
    goalChecks.push({
      name: 'quality: pass@1 of exact model outputs after post-processing (it must not break correct code)', target: 'unchanged',
      measured: `${exactInfill.passed}/${exactInfill.passN} vs ${exactOracle.passed}/${exactOracle.passN}`, pass: exactInfill.passed === exactOracle.passed,
    });
    lines.push(`Exact simulation pass@1: infill ${exactInfill.passed}/${exactInfill.passN}, oracle ${exactOracle.passed}/${exactOracle.passN} (goal: unchanged).`);
  }
  lines.push('');
  lines.push('Per set (infill / oracle, exact match):');
  for (const set of options.sets) {
    lines.push(`- ${set}: ${SIMULATIONS.map(sim => `${sim} ${ratio(scores.infill[sim][set].exact, scores.oracle[sim][set].exact)}`).join(', ')}`);
  }
  const totalMs = performance.now() - started;
  lines.push('');
  lines.push(
    `Post-processing via ${command.label}: ${cases.length} outputs in ${(postprocessMs / 1000).toFixed(1)} s (${(postprocessMs / cases.length).toFixed(2)} ms each incl. process start); ` +
      (options.pass ? `tests ${(passMs / 1000).toFixed(1)} s (${runStats.programs} distinct programs, ${runStats.cached} known from earlier runs, ${runStats.timedOut} timed out); ` : '') +
      `total ${(totalMs / 1000).toFixed(1)} s.`,
  );
  const examples = cases
    .map((c, i) => ({ c, i }))
    .filter(({ c, i }) => trimEnd(completions[i]) !== trimEnd(c.task.canonical_solution))
    .slice(0, 30)
    .map(({ c, i }) => ({ task: c.task.task_id, simulation: c.simulation, output: c.output, completion: completions[i], expected: c.task.canonical_solution }));
  return {
    markdown: lines.join('\n'),
    date: new Date().toISOString(),
    options,
    tasks: taskCounts,
    postprocessor: command.label,
    timings: { postprocessMs, passMs, totalMs, programs: runStats.programs, timedOut: runStats.timedOut, childSeconds: runStats.childSeconds },
    goals,
    goalChecks,
    scores,
    misses: examples,
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const root = repoRoot();
  const date = new Date().toISOString().slice(0, 10);
  const log = (line: string) => process.stderr.write(line + '\n');
  let json: object;
  if (options.real === 'only') {
    const real = await runRealOutputBench(realOptions(options, log));
    console.log(real.markdown);
    json = { date: new Date().toISOString(), options, real };
  } else {
    const result = await withRealOutputs(await measure(options, log), options, log);
    console.log(result.markdown);
    const { date: when, tasks, postprocessor, timings, goals, scores, misses, real } = result;
    json = { date: when, options, tasks, postprocessor, timings, goals, scores, misses, real };
  }
  const name = `quality-${date}${options.real === 'only' ? '-real' : ''}${options.quick || options.limit || options.models ? '-partial' : ''}.json`;
  const out = options.out ?? path.join(root, 'bench/results', name);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(json, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(root, out)}`);
}

if (require.main === module) {
  main().catch(error => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
