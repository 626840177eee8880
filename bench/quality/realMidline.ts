// Mid-line holes derived from the real outputs: the development set's cursor is always at column 0 of an empty line,
// so the rule for a cursor inside brackets its line opened (postprocess/statementEnd.ts, the editor's multi-line mode
// there) would only be checked on golden cases. Where the model's first line agrees with the reference line up to and
// including the line's first opening bracket that stays open (`return sorted(`, `    xs = [`), the cursor moves there:
// the prefix gains that text, the output loses it. What the model wrote after it is its own continuation of that
// very text (an autoregressive model conditioned on the same context), so the record is a real output of a mid-line
// hole. Scored like realOutputs.ts: pass@1 and exact match of (typed text + completion) against the reference line,
// side by side with the peer heuristics and the line-cut ceiling.
import { postprocessAll, programKey, runPrograms, type RunStats } from './harness';
import { applyHeuristic, HEURISTICS } from './simulate';
import { bracketBalance } from '../../src/postprocess/text';
import type { RealRecord } from './realOutputs';

/** A record of the real-output set (one model's raw output for one hole, with the hole's tests). */
export type MidlineRecord = RealRecord;

export interface MidlineHole {
  record: MidlineRecord;
  /** The reference line's text up to the cursor (indentation included), now part of the prefix. */
  typed: string;
  prefix: string;
  output: string;
}

/** The mid-line hole of a record, or undefined when the model's first line leaves the reference before any bracket. */
export function midlineHole(record: MidlineRecord): MidlineHole | undefined {
  const reference = record.reference;
  const firstLine = record.output.split('\n', 1)[0];
  for (let i = 0; i < reference.length; i++) {
    if (!'([{'.includes(reference[i])) continue;
    const typed = reference.slice(0, i + 1);
    if (!firstLine.startsWith(typed)) return undefined;
    if (bracketBalance(typed).depth > 0) return { record, typed, prefix: record.prefix + typed, output: record.output.slice(typed.length) };
  }
  return undefined;
}

export type MidlineMethod = 'infill' | (typeof HEURISTICS)[number] | 'ceiling';

export interface MidlineScore {
  n: number;
  exact: number;
  passed: number;
}

export interface MidlineResult {
  holes: number;
  scores: Record<MidlineMethod, Record<string, MidlineScore>>;
}

/** Every cut of the output at a line end, none of it included (as realOutputs.lineCuts). */
function lineCuts(output: string): string[] {
  const lines = output.split('\n');
  const cuts = new Set<string>();
  for (let end = 0; end <= lines.length; end++) cuts.add(lines.slice(0, end).join('\n'));
  return [...cuts];
}

function program(hole: MidlineHole, completion: string): string {
  return `${hole.prefix}${completion}${hole.record.suffix}\n${hole.record.tests}\n`.replace(/[ \t]+$/gm, '');
}

/**
 * Post-processes the mid-line holes (through the same CLI, "multiline": "auto") and scores every method. Tests run
 * only when `pass`; `modelOf` names a record's model in the table.
 */
export async function measureMidline(records: MidlineRecord[], cli: string[], options: { pass: boolean; root: string; stats: RunStats; modelOf: (r: MidlineRecord) => string }):
  Promise<MidlineResult> {
  const holes = records.map(midlineHole).filter((h): h is MidlineHole => h !== undefined);
  const requests = holes.map(h => ({ language: h.record.language, prefix: h.prefix, suffix: h.record.suffix, output: h.output, multiline: 'auto' as const }));
  const { completions } = await postprocessAll(cli, requests);
  const methods: MidlineMethod[] = ['infill', ...HEURISTICS, 'ceiling'];
  const candidates = (method: MidlineMethod, i: number): string[] => {
    const h = holes[i];
    if (method === 'infill') return [completions[i]];
    if (method === 'ceiling') return lineCuts(h.output);
    return [applyHeuristic(method, h.output, h.prefix, h.record.suffix)];
  };
  const passByKey = new Map<string, boolean>();
  if (options.pass) {
    const programs = new Map<string, string>();
    holes.forEach((h, i) => {
      for (const method of methods) for (const c of candidates(method, i)) programs.set(programKey(program(h, c)), program(h, c));
    });
    for (const [key, passed] of await runPrograms(options.root, programs, options.stats)) passByKey.set(key, passed);
  }
  const scores = {} as MidlineResult['scores'];
  const models = [...new Set(holes.map(h => options.modelOf(h.record)))];
  for (const method of methods) {
    scores[method] = Object.fromEntries([...models, 'all'].map(m => [m, { n: 0, exact: 0, passed: 0 }]));
    holes.forEach((h, i) => {
      const texts = candidates(method, i);
      const exact = texts.some(c => (h.typed + c).trim() === h.record.reference.trim());
      const passed = texts.some(c => passByKey.get(programKey(program(h, c))) === true);
      for (const key of [options.modelOf(h.record), 'all']) {
        const s = scores[method][key];
        s.n++;
        s.exact += exact ? 1 : 0;
        s.passed += passed ? 1 : 0;
      }
    });
  }
  return { holes: holes.length, scores };
}

/** How the tables name each method (the real-output table too). */
export const METHOD_LABELS: Record<MidlineMethod, string> = {
  infill: 'Infill',
  'first-line': 'first line',
  'blank-line': 'stop at blank line',
  'suffix-line': "stop at suffix's first line",
  'indent-scope': 'indentation scope',
  ceiling: 'line-cut ceiling',
};

/** The table of the mid-line holes (percent), per model and overall. */
export function renderMidline(result: MidlineResult, models: string[], pass: boolean): string {
  const columns = [...models.filter(m => result.scores.infill[m] !== undefined), 'all'];
  const header = ['method', ...(pass ? columns.map(m => `pass@1 ${m}`) : []), ...columns.map(m => `EM ${m}`)];
  const percent = (a: number, b: number) => (b === 0 ? 'n/a' : ((100 * a) / b).toFixed(1));
  const lines = [
    `Mid-line holes derived from the same outputs (realMidline.ts: the cursor after the reference line's first open ` +
      `bracket where the model's first line agrees up to it): ${result.holes} holes; ` +
      `${columns.slice(0, -1).map(m => `${m} ${result.scores.infill[m].n}`).join(', ')}. Percent.`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
  ];
  for (const [method, s] of Object.entries(result.scores) as [MidlineMethod, Record<string, MidlineScore>][]) {
    const cells = [...(pass ? columns.map(m => percent(s[m].passed, s[m].n)) : []), ...columns.map(m => percent(s[m].exact, s[m].n))];
    lines.push(`| ${METHOD_LABELS[method]} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}
