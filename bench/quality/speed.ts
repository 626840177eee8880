// Post-processing latency on a large file: p50 / p95 / max per suggestion at random cursor positions in a
// generated 5,000-line Python file and a 5,000-line TypeScript file, with raw outputs of the kinds the
// quality benchmark simulates (exact, echo of the suffix, run-on into new code). Each position is seen for
// the first time (cold window cache), which is what the first suggestion of a request costs.
//
// With --long: the time of one suggestion from outputs of 1k to 100k lines (a server ignoring the token limit),
// which must grow linearly with the output (the rules stop looking at MAX_OUTPUT_LINES lines).
//
//   node out/bench/quality/speed.js [--positions N] [--long]
import { processDetailed } from '../../src/postprocess';
import { rngFor } from './simulate';

function pythonFile(lines: number): string {
  const out: string[] = ['import math', ''];
  for (let i = 0; out.length < lines; i++) {
    out.push(`def compute_${i}(values, limit=${i}):`);
    out.push(`    """Sum the values below the limit."""`);
    out.push('    total = 0');
    out.push('    for value in values:');
    out.push('        if value < limit:');
    out.push('            total += math.sqrt(value)');
    out.push('        else:');
    out.push('            break');
    out.push('    return total');
    out.push('');
    out.push('');
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function typescriptFile(lines: number): string {
  const out: string[] = ["import { readFileSync } from 'fs';", ''];
  for (let i = 0; out.length < lines; i++) {
    out.push(`export function compute${i}(values: number[], limit = ${i}): number {`);
    out.push('  let total = 0;');
    out.push('  for (const value of values) {');
    out.push('    if (value < limit) {');
    out.push('      total += Math.sqrt(value);');
    out.push('    } else {');
    out.push('      break;');
    out.push('    }');
    out.push('  }');
    out.push('  return total;');
    out.push('}');
    out.push('');
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(languageId: string, text: string, positions: number): Promise<string> {
  const lines = text.split('\n');
  const rng = rngFor(`speed/${languageId}`);
  const times: number[] = [];
  let parses = 0;
  // Warm-up: load the grammar and JIT the code paths.
  for (let i = 0; i < 20; i++) await processDetailed({ languageId, prefix: text.slice(0, 1000), suffix: text.slice(1000, 2000), output: 'x = 1\n' });
  // Inputs are built first, so the harness's own allocations do not land in the timings.
  const offsets: number[] = [0];
  for (const l of lines) offsets.push(offsets[offsets.length - 1] + l.length + 1);
  const inputs = Array.from({ length: positions }, (_, n) => {
    // A cursor at the start of a code line in the middle 80% of the file; the middle is 1-4 lines.
    const line = Math.floor(lines.length * (0.1 + 0.8 * rng()));
    const span = 1 + Math.floor(rng() * 4);
    const start = offsets[line];
    const end = offsets[Math.min(lines.length - 1, line + span)];
    const prefix = text.slice(0, start);
    const middle = text.slice(start, end);
    const suffix = text.slice(end);
    const kind = n % 3;
    const output =
      kind === 0 ? middle : kind === 1 ? middle + lines.slice(line + span, line + span + 3).join('\n') : middle + '\n\ndef unrelated():\n    return None\n';
    return { prefix, suffix, output };
  });
  for (const { prefix, suffix, output } of inputs) {
    const started = performance.now();
    const result = await processDetailed({ languageId, prefix, suffix, output });
    times.push(performance.now() - started);
    parses += result.parses;
  }
  times.sort((a, b) => a - b);
  const f = (x: number) => x.toFixed(3);
  return `| ${languageId} | ${lines.length} | ${positions} | ${f(percentile(times, 50))} | ${f(percentile(times, 95))} | ${f(times[times.length - 1])} | ${(parses / positions).toFixed(1)} |`;
}

/** Long outputs of three shapes: an indented Python body, a TypeScript body, and lines a suffix echo matches. */
const LONG_SHAPES: { name: string; input: (lines: number) => { languageId: string; prefix: string; suffix: string; output: string } }[] = [
  {
    name: 'python body',
    input: n => ({ languageId: 'python', prefix: 'def f(x):\n    ', suffix: '\n', output: numbered(n, i => (i % 3 === 0 ? `    if x > ${i}:` : `        y = ${i}`)).trimStart() }),
  },
  {
    name: 'typescript body',
    input: n => ({ languageId: 'typescript', prefix: 'function f(x: number) {\n  ', suffix: '\n}\n', output: numbered(n, i => `  x += ${i};`).trimStart() }),
  },
  {
    name: 'echo candidates',
    input: n => ({ languageId: 'python', prefix: 'def f(x):\n    ', suffix: '\n    y = 1\n    return y\n', output: numbered(n, () => '    y = 1').trimStart() }),
  },
];

function numbered(count: number, line: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) => line(i)).join('\n') + '\n';
}

async function measureLong(): Promise<void> {
  const sizes = [1_000, 4_000, 16_000, 100_000];
  console.log(`| output | ${sizes.map(n => `${n / 1000}k lines ms`).join(' | ')} |`);
  console.log(`|---|${sizes.map(() => '---').join('|')}|`);
  await processDetailed({ languageId: 'python', prefix: 'def f():\n    ', suffix: '\n', output: 'x = 1\n' });
  for (const shape of LONG_SHAPES) {
    const cells: string[] = [];
    for (const n of sizes) {
      const input = shape.input(n);
      const started = performance.now();
      for (const multiline of [undefined, true]) await processDetailed({ ...input, multiline });
      cells.push(((performance.now() - started) / 2).toFixed(0));
    }
    console.log(`| ${shape.name} | ${cells.join(' | ')} |`);
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--long')) return measureLong();
  const index = process.argv.indexOf('--positions');
  const positions = index > 0 ? Number(process.argv[index + 1]) : 300;
  if (!(positions > 0)) throw new Error('--positions needs a positive number');
  const rows = [
    await measure('python', pythonFile(5000), positions),
    await measure('typescript', typescriptFile(5000), positions),
  ];
  console.log('| language | file lines | suggestions | p50 ms | p95 ms | max ms | candidate parses / suggestion (+1 window parse) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log('\nGoal: p95 <= 2 ms per suggestion.');
}

main().catch(error => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
