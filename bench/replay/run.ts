// The typing replay alone, for iterating on speed without the full `npm run bench` (engine timing, overhead,
// context and quality benches). Server speeds come from a bench result file's real-engine figures, so runs on a
// busy machine compare with the quiet bench of that day; virtual time makes the figures independent of the load.
//
//   npx tsc -p . && node out/bench/replay/run.js --speeds=bench/results/2026-12-03.json [--server=realistic|ideal|both]
//     [--shape=starcoder-164m|qwen2-0.5b] [--variants=infill,llama-vscode] [--typists=3] [--typist=prefix|lines] [--json=FILE]
// --typist=lines: Tab takes the whole suggestion only when all of it matches, else its matching whole lines (VS Code's
// "Accept Next Line"); the default takes the longest matching prefix at any character.
// Diagnostics: BENCH_TRACE_REQUESTS=file (every request: prompt, output, timings), BENCH_TRACE_TTG=file (every first
// showing of a request's text: time from the keystroke, how it reached the screen, the cursor line).
import * as fs from 'node:fs';
import type { EngineModelResult } from '../engine/realEngine';
import { INFILL_VARIANT, LLAMA_VSCODE_VARIANT, PEER_VARIANTS, type ReplayVariant } from './engineAdapter';
import { defaultLatencyModel, latencyModelFromEngine, type LatencyModel } from './latencyModel';
import { runReplayBench, type ServerModel, type VariantResult } from './replay';
import type { TypistAccept } from './typist';

/** Infill's defaults with one thing changed, to find which part of a behaviour gives its figures (not in `npm run bench`). */
const variantOf = (id: string, label: string, change: Partial<ReplayVariant>): ReplayVariant => ({ ...INFILL_VARIANT, id, label, ...change });
export const EXPERIMENT_VARIANTS: ReplayVariant[] = [
  variantOf('multiline-always', 'several lines asked for everywhere (code right of the cursor too)', { multiline: 'always' }),
  variantOf('debounce-min-0', 'adaptive debounce 0-400 ms', { config: { debounceMinMs: 0, debounceMaxMs: 400 } }),
  variantOf('debounce-150', 'adaptive debounce 0-150 ms', { config: { debounceMinMs: 0, debounceMaxMs: 150 } }),
];

interface Args { speeds?: string; shape: string; servers: ServerModel[]; variants: ReplayVariant[]; typists: number; accept: TypistAccept; json?: string }

function parseArgs(argv: string[]): Args {
  const get = (name: string) => argv.find(a => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const all = [INFILL_VARIANT, LLAMA_VSCODE_VARIANT, ...PEER_VARIANTS, ...EXPERIMENT_VARIANTS];
  const ids = (get('variants') ?? 'infill,llama-vscode').split(',');
  const variants = ids.map(id => {
    const v = all.find(x => x.id === id);
    if (!v) throw new Error(`unknown variant ${id} (known: ${all.map(x => x.id).join(', ')})`);
    return v;
  });
  // --infill-config={"debounceMaxMs":200}: Infill with other settings (to try a change before making it the default).
  const infillConfig = get('infill-config');
  if (infillConfig) {
    const i = variants.findIndex(v => v.id === INFILL_VARIANT.id);
    if (i >= 0) variants[i] = { ...INFILL_VARIANT, label: `Infill ${infillConfig}`, config: JSON.parse(infillConfig) };
  }
  const server = get('server') ?? 'realistic';
  const accept = get('typist') ?? 'prefix';
  if (accept !== 'prefix' && accept !== 'lines') throw new Error(`unknown --typist=${accept} (known: prefix, lines)`);
  return {
    accept,
    speeds: get('speeds'), shape: get('shape') ?? 'starcoder-164m', variants, typists: Number(get('typists') ?? 3), json: get('json'),
    servers: server === 'both' ? ['realistic', 'ideal'] : [server as ServerModel],
  };
}

function latencyFrom(file: string | undefined, shape: string): LatencyModel {
  if (!file) return defaultLatencyModel();
  const models: EngineModelResult[] = JSON.parse(fs.readFileSync(file, 'utf8')).engine?.models ?? [];
  const model = models.find(m => m.shape === shape);
  if (!model) throw new Error(`${file} has no engine figures for ${shape}`);
  return latencyModelFromEngine(model);
}

/** The figures issue 12's goals are judged on, one line per variant. */
export function goalLine(v: VariantResult): string {
  const ms = (x: number) => `${Math.round(x)}`;
  return `${v.id.padEnd(14)} requests ${v.modelRequests} (${v.requestsPer100Chars.toFixed(2)}/100 chars, user ${v.serverUse.requests.user}, `
    + `spec ${v.serverUse.requests.speculative}, prefill ${v.serverUse.requests.prefill}); new text p50/p95 ${ms(v.modelTtgP50Ms)}/${ms(v.modelTtgP95Ms)} ms; `
    + `request→ghost ${ms(v.requestToGhostP50Ms)}/${ms(v.requestToGhostP95Ms)} ms; after Tab p50 ${ms(v.afterAcceptP50Ms)} ms `
    + `(${(100 * v.afterAcceptShownShare).toFixed(1)}% of ${v.afterAcceptSamples}); accepted ${v.acceptedChars} (${(100 * v.acceptedShare).toFixed(1)}%); `
    + `wasted background ${(100 * v.wastedBackgroundShare).toFixed(1)}%; aborted ${v.abortedRequests}`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const latency = latencyFrom(args.speeds, args.shape);
  const out: Record<string, unknown> = {};
  for (const server of args.servers) {
    const r = await runReplayBench({ typists: args.typists, typist: { accept: args.accept }, variants: args.variants, latency, server, log: l => process.stderr.write(`[replay] ${l}\n`) });
    process.stdout.write(`${server} server, ${latency.source}, ${args.typists} typists (Tab takes: ${args.accept}):\n${r.variants.map(v => '  ' + goalLine(v)).join('\n')}\n`);
    out[server] = r;
  }
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(out, null, 1));
}

if (require.main === module) {
  main().catch(err => {
    process.stderr.write(`replay failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
