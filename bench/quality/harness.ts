// What both quality benches (simulated outputs in run.ts, real model outputs in realOutputs.ts) need: the
// repository root, the post-processor as a subprocess (`node dist/cli.js postprocess`, exactly as outside
// tools call it) and the Python test worker (exec_worker.py), with a cache of test results by program.
import * as childProcess from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import type { PostprocessRequest } from '../../src/cli/postprocessCommand';

const PYTHON_WORKERS = 2;

export function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'bench'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the repository root above ' + __dirname);
}

/** One line of `cli.js postprocess` input (the id is added by postprocessAll). */
export type { PostprocessRequest };

/** Runs `node <cli> postprocess` once for all requests; returns completions in order and the wall time. */
export async function postprocessAll(cli: string[], requests: PostprocessRequest[]): Promise<{ completions: string[]; ms: number }> {
  const started = performance.now();
  const child = childProcess.spawn(process.execPath, [...cli, 'postprocess'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const completions: string[] = new Array(requests.length);
  const errors: string[] = [];
  const reading = (async () => {
    const lines = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
    let index = 0;
    for await (const line of lines) {
      const record = JSON.parse(line) as { id: number; completion?: string; error?: string };
      if (record.id !== index) throw new Error(`postprocess answered id ${record.id} where ${index} was expected`);
      if (record.error !== undefined) errors.push(`${index}: ${record.error}`);
      completions[index++] = record.completion ?? '';
    }
    return index;
  })();
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', code => resolve(code ?? -1));
  });
  for (let i = 0; i < requests.length; i++) {
    const line = JSON.stringify({ id: i, ...requests[i] });
    if (!child.stdin.write(line + '\n')) await new Promise(resolve => child.stdin.once('drain', resolve));
  }
  child.stdin.end();
  const [count, code] = await Promise.all([reading, exited]);
  if (code !== 0) throw new Error(`postprocess exited with code ${code}`);
  if (count !== requests.length) throw new Error(`postprocess answered ${count} of ${requests.length} lines`);
  if (errors.length) throw new Error(`postprocess errors:\n${errors.slice(0, 5).join('\n')}`);
  return { completions, ms: performance.now() - started };
}

/** Newest modification time of the files under `dir` (recursively). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * The command that runs the post-processor: dist/cli.js when it knows `postprocess` with `"multiline": "auto"`,
 * else the compiled entry beside this file (same code, built by tsc).
 */
export function postprocessCommand(root: string, explicit?: string): { cli: string[]; label: string } {
  if (explicit) return { cli: [explicit], label: explicit };
  const dist = path.join(root, 'dist/cli.js');
  if (fs.existsSync(dist)) {
    const sources = Math.max(newestMtime(path.join(root, 'src/postprocess')), newestMtime(path.join(root, 'src/syntax')), newestMtime(path.join(root, 'src/cli')));
    if (fs.statSync(dist).mtimeMs < sources) {
      process.stderr.write('warning: dist/cli.js is older than src/postprocess, src/syntax or src/cli; run "node esbuild.mjs" first\n');
    }
    const probe = childProcess.spawnSync(process.execPath, [dist, 'postprocess'], {
      input: '{"id":0,"language":"python","prefix":"x = (","suffix":")\\n","output":"1)","multiline":"auto"}\n',
      encoding: 'utf8',
      timeout: 20000,
    });
    if (probe.status === 0 && probe.stdout.includes('"completion":"1"')) return { cli: [dist], label: 'dist/cli.js' };
  }
  const fallback = path.join(__dirname, 'postprocessEntry.js');
  return { cli: [fallback], label: path.relative(root, fallback) + ' (dist/cli.js has no postprocess command with "auto" yet)' };
}

export interface RunStats {
  programs: number;
  /** Programs answered from the cache of earlier runs (not run again). */
  cached: number;
  timedOut: number;
  childSeconds: number;
}

export function emptyRunStats(): RunStats {
  return { programs: 0, cached: 0, timedOut: 0, childSeconds: 0 };
}

export function programKey(text: string): string {
  return crypto.createHash('sha1').update(text).digest('hex');
}

/**
 * Test results by program hash from earlier runs (bench/.cache, not committed): a program's result depends only on
 * its text and the Python it runs on, so reruns while developing only run new programs. Timeouts are not kept.
 */
function cacheFile(root: string): string {
  const version = childProcess.spawnSync('python3', ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/\W+/g, '-');
  return path.join(root, 'bench/.cache', `quality-tests-${version || 'python3'}.json`);
}

function loadCache(file: string): Record<string, boolean> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, boolean>;
  } catch {
    return {};
  }
}

/** Runs every distinct program once with the Python worker(s); returns pass/fail by program hash. */
export async function runPrograms(root: string, programs: Map<string, string>, stats: RunStats, useCache = true): Promise<Map<string, boolean>> {
  const results = new Map<string, boolean>();
  stats.programs = programs.size;
  const file = cacheFile(root);
  const cache = useCache ? loadCache(file) : {};
  const entries = [...programs.entries()].filter(([key]) => {
    if (!(key in cache)) return true;
    results.set(key, cache[key]);
    stats.cached++;
    return false;
  });
  const worker = path.join(root, 'bench/quality/exec_worker.py');
  const workers = Math.min(PYTHON_WORKERS, Math.max(1, entries.length));
  const chunks: [string, string][][] = Array.from({ length: workers }, () => []);
  entries.forEach((entry, i) => chunks[i % workers].push(entry));
  await Promise.all(
    chunks.map(
      chunk =>
        new Promise<void>((resolve, reject) => {
          if (chunk.length === 0) return resolve();
          const child = childProcess.spawn('python3', [worker], { stdio: ['pipe', 'pipe', 'inherit'] });
          const lines = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
          lines.on('line', line => {
            const record = JSON.parse(line) as { key: string; passed: boolean; timedOut?: boolean; seconds?: number };
            results.set(record.key, record.passed);
            if (record.timedOut) stats.timedOut++;
            else cache[record.key] = record.passed;
            stats.childSeconds += record.seconds ?? 0;
          });
          child.on('error', error => reject(new Error(`cannot run python3: ${error.message}`)));
          child.on('close', code => (code === 0 ? resolve() : reject(new Error(`python worker exited with ${code}`))));
          child.stdin.on('error', reject);
          (async () => {
            for (const [key, text] of chunk) {
              if (!child.stdin.write(JSON.stringify({ key, program: text }) + '\n')) {
                await new Promise(r => child.stdin.once('drain', r));
              }
            }
            child.stdin.end();
          })().catch(reject);
        }),
    ),
  );
  if (useCache && entries.length > 0) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(cache));
  }
  return results;
}
