// Context-stage benchmark: gathering latency on a generated workspace of 2,000 files with 20 open tabs, and the
// share of prompt tokens a server can reuse from the previous request while the user types along a line.
//
//   node out/bench/context/run.js [--quick] [--json]
//
// Figures:
// - cold: the very first gathering (grammar load, first parses).
// - new line (warm file caches): the cursor lands on a line not seen before, in a file whose text just changed
//   (new version; its previous index serves while it is re-parsed in the background); other files are parsed. This is the cost of a
//   request after the user moves to a new line.
// - typing along a line: the per-line selection is reused (the point of the stability rule).
// - prompt reuse: real Qwen repo-level prompts (src/prompt/templates.ts) built from the gathered snippets and the
//   document cut of src/document/documentContext.ts, compared keystroke to keystroke with promptPrefixReuse.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createNodeContextProvider, promptPrefixReuse, RecentActivity } from '../../src/context';
import type { ContextSnippet } from '../../src/context/types';
import { DEFAULT_CONFIG } from '../../src/config/types';
import { buildDocumentContext } from '../../src/document/documentContext';
import type { DocumentSnapshot } from '../../src/document/types';
import { templateFor } from '../../src/prompt/templates';
import { seededRandom } from '../replay/typist';

export interface ContextBenchOptions {
  files?: number;
  openTabs?: number;
  /** Measured new-line gatherings. */
  samples?: number;
  /** Lines typed for the reuse figure. */
  typedLines?: number;
  quick?: boolean;
  seed?: number;
  log?: (line: string) => void;
  /** The provider's own log (debug lines say how long each gathering took and why). */
  providerLog?: import('../../src/util/log').Logger;
  /** Keep the generated workspace (for debugging); it is deleted otherwise. */
  keep?: boolean;
}

export interface ContextBenchResult {
  files: number;
  openTabs: number;
  workspaceBytes: number;
  gather: {
    coldMs: number;
    newLine: { n: number; p50: number; p95: number; mean: number; max: number };
    /** CPU time of the process (all threads) per new-line gathering: the work itself, whatever the machine's load. */
    newLineCpu: { n: number; p50: number; p95: number; mean: number; max: number };
    typing: { n: number; p50: number; p95: number; mean: number; max: number };
  };
  snippetsPerRequest: number;
  contextTokensPerRequest: number;
  sources: Record<string, number>;
  promptReuse: {
    n: number; mean: number; p50: number; min: number; charMean: number;
    /** Mean share of the prompt before the cursor: what any prefix-suffix-middle prompt can reuse at most. */
    beforeCursorMean: number;
    /** Keystrokes (after the first of a line) whose context snippets differed from the previous keystroke's. */
    contextChanges: number;
  };
  goals: Array<{ name: string; target: string; measured: string; pass: boolean }>;
  notes: string[];
  markdown: string;
}


const WORDS = ('account amount balance basket batch buffer cache cart channel client config cursor customer delta discount '
  + 'entry event filter format gateway handler index invoice item ledger limit line lookup metric order owner packet page '
  + 'parser payment price queue quota rate record region report request result route schedule session shard signal '
  + 'snapshot source stock store stream tax tenant ticket token total tracker user value vendor window').split(' ');

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { n: s.length, p50: r(quantile(s, 0.5)), p95: r(quantile(s, 0.95)), mean: r(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)), max: r(s[s.length - 1] ?? 0) };
}

interface GeneratedFile { rel: string; text: string }

/** A TypeScript/Python monorepo-ish tree: modules of files importing each other, index files re-exporting. */
function generateWorkspace(root: string, count: number, rand: () => number): GeneratedFile[] {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const pyCount = Math.round(count * 0.15);
  const tsCount = count - pyCount;
  const perModule = 34;
  const tsModules = Math.ceil(tsCount / perModule);
  const out: GeneratedFile[] = [];
  const tsFiles: Array<{ d: number; k: number; word: string }> = [];
  for (let i = 0; i < tsCount; i++) tsFiles.push({ d: Math.floor(i / perModule), k: i % perModule, word: pick(WORDS) });
  const cap = (w: string) => w[0].toUpperCase() + w.slice(1);
  const names = (f: { d: number; k: number; word: string }) => ({
    fn: `compute${cap(f.word)}_${f.d}_${f.k}`, type: `${cap(f.word)}Record_${f.d}_${f.k}`, cls: `${cap(f.word)}Service_${f.d}_${f.k}`,
  });
  for (const f of tsFiles) {
    const me = names(f);
    const lines: string[] = [];
    const imported: string[] = [];
    const nImports = 2 + Math.floor(rand() * 3);
    for (let j = 0; j < nImports; j++) {
      const other = pick(tsFiles);
      if (other === f) continue;
      const n = names(other);
      const rel = other.d === f.d ? `./f${other.k}` : rand() < 0.3 ? `../m${other.d}` : `../m${other.d}/f${other.k}${rand() < 0.3 ? '.js' : ''}`;
      lines.push(`import { ${n.fn}, ${n.type} } from '${rel}';`);
      imported.push(n.fn);
    }
    lines.push('');
    lines.push(`/** A ${f.word} record of module ${f.d}. */`);
    lines.push(`export interface ${me.type} {`, `  id: string;`, `  ${f.word}Amount: number;`, `  ${pick(WORDS)}Label: string;`, `  createdAt: Date;`, `}`, '');
    lines.push(`export function ${me.fn}(input: ${me.type}, factor: number): number {`);
    const bodyLines = 8 + Math.floor(rand() * 24);
    for (let b = 0; b < bodyLines; b++) {
      const w = pick(WORDS);
      const call = imported.length && rand() < 0.3 ? `${pick(imported)}(input as never, ${b})` : `input.${f.word}Amount * ${b + 1}`;
      lines.push(`  const ${w}${b} = ${call} + factor;`);
    }
    lines.push(`  return input.${f.word}Amount * factor;`, `}`, '');
    lines.push(`export class ${me.cls} {`, `  private readonly items = new Map<string, ${me.type}>();`, '');
    const methods = 4 + Math.floor(rand() * 10);
    for (let m = 0; m < methods; m++) {
      const w = pick(WORDS);
      lines.push(`  ${w}${m}(key: string, ${w}: number): number {`, `    const rec = this.items.get(key);`,
        `    if (!rec) return ${w};`, `    return ${me.fn}(rec, ${w}) + rec.${f.word}Amount;`, `  }`, '');
    }
    lines.push(`}`, '');
    out.push({ rel: `src/m${f.d}/f${f.k}.ts`, text: lines.join('\n') });
  }
  for (let d = 0; d < tsModules; d++) {
    const members = tsFiles.filter(f => f.d === d).map(f => `export * from './f${f.k}';`);
    out.push({ rel: `src/m${d}/index.ts`, text: members.join('\n') + '\n' });
  }
  // Python packages.
  const perPkg = 25;
  for (let i = 0; i < pyCount - Math.ceil(pyCount / perPkg); i++) {
    const p = Math.floor(i / perPkg), k = i % perPkg, w = pick(WORDS);
    const other = Math.floor(rand() * perPkg);
    const lines = [`from .mod${other} import ${pick(WORDS)}_${p}_${other}`, '', '',
      `def ${w}_${p}_${k}(value, factor=1):`, `    """Computes the ${w} of a value."""`, `    return value * factor`, '', '',
      `class ${w[0].toUpperCase() + w.slice(1)}Model${p}_${k}:`, `    def __init__(self, size):`, `        self.size = size`, '',
      `    def scaled(self, factor):`, `        return ${w}_${p}_${k}(self.size, factor)`, ''];
    out.push({ rel: `py/pkg${p}/mod${k}.py`, text: lines.join('\n') });
  }
  for (let p = 0; p < Math.ceil(pyCount / perPkg); p++) out.push({ rel: `py/pkg${p}/__init__.py`, text: '' });
  out.length = Math.min(out.length, count);
  for (const f of out) {
    fs.mkdirSync(path.dirname(path.join(root, f.rel)), { recursive: true });
    fs.writeFileSync(path.join(root, f.rel), f.text);
  }
  fs.writeFileSync(path.join(root, '.gitignore'), 'dist/\n*.log\n');
  fs.writeFileSync(path.join(root, '.env'), 'API_KEY=bench-fake-key\n');
  return out;
}

export async function runContextBench(opts: ContextBenchOptions = {}): Promise<ContextBenchResult> {
  const quick = opts.quick ?? false;
  const fileCount = opts.files ?? 2000;
  const tabCount = opts.openTabs ?? 20;
  const samples = opts.samples ?? (quick ? 100 : 400);
  const typedLines = opts.typedLines ?? (quick ? 10 : 30);
  const log = opts.log ?? (() => {});
  const rand = seededRandom(opts.seed ?? 20261122);
  const notes: string[] = [];

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'infill-context-bench-'));
  try {
    log(`context bench: generating ${fileCount} files in ${root}`);
    const files = generateWorkspace(root, fileCount, rand);
    const workspaceBytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
    const tsFiles = files.filter(f => f.rel.endsWith('.ts') && !f.rel.endsWith('index.ts'));
    const pyFiles = files.filter(f => f.rel.endsWith('.py') && !f.rel.endsWith('__init__.py'));
    const tabs: GeneratedFile[] = [];
    while (tabs.length < tabCount) {
      const f = tabs.length % 10 === 9 && pyFiles.length ? pyFiles[Math.floor(rand() * pyFiles.length)] : tsFiles[Math.floor(rand() * tsFiles.length)];
      if (!tabs.includes(f)) tabs.push(f);
    }
    let clock = 1_000_000;
    const now = () => clock;
    const activity = new RecentActivity({ now });
    for (let i = 0; i < 10; i++) {
      const f = tsFiles[Math.floor(rand() * tsFiles.length)];
      activity.recordEdit({ relativePath: f.rel, startLine: 10 + i, endLine: 12 + i, at: clock - i * 30_000 });
      const v = tabs[Math.floor(rand() * tabs.length)];
      activity.recordView({ relativePath: v.rel, startLine: 0, endLine: 30, at: clock - i * 10_000 });
    }
    const provider = createNodeContextProvider({
      workspace: root, openFiles: tabs.map(t => path.join(root, t.rel)), activity, now,
      maxContextTokens: DEFAULT_CONFIG.maxContextTokens,
      // Same time budget as in VS Code: a request never waits longer for context than this.
      timeBudgetMs: 60,
      // As in VS Code, where a file watcher invalidates changed files and stats are trusted for 30 s.
      statTtlMs: Number(process.env.CTX_TTL ?? 30_000),
      log: opts.providerLog,
    });
    const budget = { prefixTokens: DEFAULT_CONFIG.maxPrefixTokens, suffixTokens: DEFAULT_CONFIG.maxSuffixTokens };
    const signal = new AbortController().signal;
    const tsTabs = tabs.filter(t => t.rel.endsWith('.ts'));
    const snapshot = (f: GeneratedFile, text: string, version: number): DocumentSnapshot =>
      ({ uri: path.join(root, f.rel), relativePath: f.rel, languageId: 'typescript', text, version });
    // A line inside a function or method body, anywhere in the file (where people type).
    const bodyLine = (f: GeneratedFile) => {
      const lines = f.text.split('\n');
      const candidates = lines.map((l, i) => (/^ {2,4}(const|return) /.test(l) ? i : -1)).filter(i => i >= 0);
      return candidates[Math.floor(rand() * candidates.length)] ?? Math.floor(lines.length / 2);
    };

    // Cold: first request ever (grammar load, first parses).
    let t0 = performance.now();
    await provider.gather(buildDocumentContext(snapshot(tsTabs[0], tsTabs[0].text, 1), { line: bodyLine(tsTabs[0]), character: 2 }, budget), signal);
    const coldMs = Math.round((performance.now() - t0) * 100) / 100;
    // Warm-up: one request per open TS tab, so files reachable from them are parsed (what a session has done).
    for (const f of tsTabs) await provider.gather(buildDocumentContext(snapshot(f, f.text, 2), { line: 0, character: 0 }, budget), signal);

    // New line, warm file caches: the current file's text changed (new version) and the line is new.
    const newLine: number[] = [];
    const newLineCpu: number[] = [];
    const sources: Record<string, number> = {};
    let snippetCount = 0, contextChars = 0;
    let version = 10;
    for (let i = 0; i < samples; i++) {
      const f = tsTabs[i % tsTabs.length];
      const lines = f.text.split('\n');
      const at = bodyLine(f);
      const text = [...lines.slice(0, at), `  // edit ${i}`, ...lines.slice(at)].join('\n');
      const doc = buildDocumentContext(snapshot(f, text, ++version), { line: at + 1, character: 2 }, budget);
      clock += 700;
      // Requests are at least a debounce apart: let background work (refreshes, re-parses) run, as it would.
      await new Promise(r => setTimeout(r, 5));
      t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const s = await provider.gather(doc, signal);
      newLine.push(performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      newLineCpu.push((cpu.user + cpu.system) / 1000);
      snippetCount += s.length;
      for (const x of s) { sources[x.source] = (sources[x.source] ?? 0) + 1; contextChars += x.content.length; }
    }

    // Typing along a line: latency per keystroke, and prompt reuse between consecutive keystrokes.
    const typing: number[] = [];
    const reuse: number[] = [];
    const charReuse: number[] = [];
    const beforeCursor: number[] = [];
    let contextChanges = 0;
    const template = templateFor('qwen');
    for (let li = 0; li < typedLines; li++) {
      const f = tsTabs[li % tsTabs.length];
      const lines = f.text.split('\n');
      const at = bodyLine(f);
      const fnName = /export function (\w+)/.exec(f.text)?.[1] ?? 'compute';
      const typed = `  const extra${li} = ${fnName}(input, factor * ${li + 2}) + input.id.length;`;
      let previous: string | undefined;
      let previousSnippets: string | undefined;
      for (let c = 1; c <= typed.length; c++) {
        const text = [...lines.slice(0, at), typed.slice(0, c), ...lines.slice(at)].join('\n');
        const snap = snapshot(f, text, ++version);
        // What the adapter does on each keystroke.
        activity.recordEdit({ relativePath: f.rel, startLine: at, endLine: at, at: clock });
        clock += 90;
        await new Promise(r => setImmediate(r));
        const doc = buildDocumentContext(snap, { line: at, character: c }, budget);
        t0 = performance.now();
        const snippets: ContextSnippet[] = await provider.gather(doc, signal);
        typing.push(performance.now() - t0);
        const prompt = template.build({ prefix: doc.prefix, suffix: doc.suffix, relativePath: f.rel, languageId: 'typescript', snippets, repoName: 'bench-workspace' });
        const snippetKey = JSON.stringify(snippets);
        if (previous !== undefined) {
          const r = promptPrefixReuse(previous, prompt);
          reuse.push(r.tokenShare);
          charReuse.push(r.charShare);
          beforeCursor.push(prompt.indexOf('<|fim_suffix|>') / prompt.length);
          if (snippetKey !== previousSnippets) contextChanges++;
        }
        previous = prompt;
        previousSnippets = snippetKey;
      }
    }

    const nl = stats(newLine);
    const ty = stats(typing);
    const rs = [...reuse].sort((a, b) => a - b);
    const round3 = (x: number) => Math.round(x * 1000) / 1000;
    const promptReuse = {
      n: rs.length,
      mean: round3(rs.reduce((a, b) => a + b, 0) / Math.max(1, rs.length)),
      p50: round3(quantile(rs, 0.5)),
      min: round3(rs[0] ?? 0),
      charMean: round3(charReuse.reduce((a, b) => a + b, 0) / Math.max(1, charReuse.length)),
      beforeCursorMean: round3(beforeCursor.reduce((a, b) => a + b, 0) / Math.max(1, beforeCursor.length)),
      contextChanges,
    };
    const goals = [
      { name: 'context gathering p95, new line (warm file caches)', target: '≤ 15 ms', measured: `${nl.p95} ms`, pass: nl.p95 <= 15 },
      { name: 'context gathering p95, typing along a line', target: '≤ 15 ms', measured: `${ty.p95} ms`, pass: ty.p95 <= 15 },
      { name: 'prompt-prefix reuse while typing along a line (mean token share)', target: '≥ 80%', measured: `${(100 * promptReuse.mean).toFixed(1)}%`, pass: promptReuse.mean >= 0.8 },
    ];
    notes.push('Latency is measured in-process (Node, fs on local disk through the same provider the CLI uses); VS Code adds workspace.fs IPC for files not yet cached.');
    notes.push('Warm caches: before the new-line samples, one request per open tab parsed the files they import. Every sample gives the current file a new version: its previous index serves at once while the new one is parsed in the background, between requests (as in the editor).');
    notes.push(`Machine load during the run: load average ${os.loadavg().map(x => x.toFixed(1)).join(' / ')} on ${os.cpus().length} cores (other jobs share the CPU; tails grow with load).`);
    notes.push('Prompt reuse uses real Qwen repo-level prompts from src/prompt/templates.ts and a word/punctuation tokenizer standing in for BPE.');
    const result: Omit<ContextBenchResult, 'markdown'> = {
      files: files.length, openTabs: tabs.length, workspaceBytes,
      gather: { coldMs, newLine: nl, newLineCpu: stats(newLineCpu), typing: ty },
      snippetsPerRequest: Math.round((snippetCount / Math.max(1, samples)) * 10) / 10,
      contextTokensPerRequest: Math.round(contextChars / Math.max(1, samples) / 3.3),
      sources,
      promptReuse,
      goals,
      notes,
    };
    return { ...result, markdown: toMarkdown(result) };
  } finally {
    if (!opts.keep) fs.rmSync(root, { recursive: true, force: true });
  }
}

function toMarkdown(r: Omit<ContextBenchResult, 'markdown'>): string {
  const rows = [
    '| Measure | Value |', '|---|---|',
    `| Workspace | ${r.files} files (${(r.workspaceBytes / 1e6).toFixed(1)} MB), ${r.openTabs} open tabs |`,
    `| Cold first gathering | ${r.gather.coldMs} ms |`,
    `| New line, warm file caches (n=${r.gather.newLine.n}) | p50 ${r.gather.newLine.p50} ms, p95 ${r.gather.newLine.p95} ms, max ${r.gather.newLine.max} ms |`,
    `| New line, CPU time per gathering | p50 ${r.gather.newLineCpu.p50} ms, p95 ${r.gather.newLineCpu.p95} ms |`,
    `| Typing along a line (n=${r.gather.typing.n}) | p50 ${r.gather.typing.p50} ms, p95 ${r.gather.typing.p95} ms |`,
    `| Snippets per request | ${r.snippetsPerRequest} (~${r.contextTokensPerRequest} tokens); by source: ${Object.entries(r.sources).sort().map(([k, v]) => `${k} ${v}`).join(', ')} |`,
    `| Prompt-prefix reuse while typing (n=${r.promptReuse.n}) | mean ${(100 * r.promptReuse.mean).toFixed(1)}% of tokens (p50 ${(100 * r.promptReuse.p50).toFixed(1)}%, min ${(100 * r.promptReuse.min).toFixed(1)}%; chars ${(100 * r.promptReuse.charMean).toFixed(1)}%) |`,
    `| Share of the prompt before the cursor (the most a prefix-suffix-middle prompt can reuse) | ${(100 * r.promptReuse.beforeCursorMean).toFixed(1)}% |`,
    `| Keystrokes whose context snippets changed within a line | ${r.promptReuse.contextChanges} of ${r.promptReuse.n} |`,
  ];
  const goals = ['', '| Goal | Target | Measured | Pass |', '|---|---|---|---|',
    ...r.goals.map(g => `| ${g.name} | ${g.target} | ${g.measured} | ${g.pass ? 'yes' : 'no'} |`)];
  return [...rows, ...goals, '', ...r.notes.map(n => `- ${n}`)].join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  runContextBench({ quick: args.includes('--quick'), log: l => process.stderr.write(l + '\n') })
    .then(r => process.stdout.write((args.includes('--json') ? JSON.stringify(r, null, 2) : r.markdown) + '\n'))
    .catch(err => { process.stderr.write(`context bench failed: ${err instanceof Error ? err.stack : String(err)}\n`); process.exitCode = 1; });
}
