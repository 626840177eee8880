// Merges StrykerJS JSON reports of one group measured in several runs (e.g. `--mutate` on a few files, then a
// re-run of the survivors' lines after tests were added): a mutant's result in a later report replaces the
// earlier one (same file, place, mutator and replacement). Prints the totals per file and writes the merged report.
//   node bench/results/mutation/mergeReports.mjs out.json first.json second.json ...
import { readFileSync, writeFileSync } from 'node:fs';

const [out, ...inputs] = process.argv.slice(2);
if (!out || !inputs.length) throw new Error('usage: mergeReports.mjs out.json in1.json [in2.json ...]');

const keyOf = m => `${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column} ${m.mutatorName} ${m.replacement}`;
let merged;
for (const input of inputs) {
  const report = JSON.parse(readFileSync(input, 'utf8'));
  if (!merged) { merged = report; continue; }
  for (const [file, result] of Object.entries(report.files)) {
    const into = merged.files[file];
    if (!into || into.source !== result.source) { merged.files[file] = result; continue; }
    const byKey = new Map(into.mutants.map(m => [keyOf(m), m]));
    for (const m of result.mutants) byKey.set(keyOf(m), m);
    into.mutants = [...byKey.values()];
  }
  Object.assign(merged.testFiles ?? {}, report.testFiles ?? {});
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const rows = [];
const total = { file: 'all', total: 0, valid: 0, Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, errors: 0 };
for (const [file, result] of Object.entries(merged.files).sort()) {
  const row = { file, total: 0, valid: 0, Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, errors: 0 };
  for (const m of result.mutants) {
    row.total++;
    if (DETECTED.has(m.status) || UNDETECTED.has(m.status)) { row.valid++; row[m.status]++; } else row.errors++;
  }
  rows.push(row);
  for (const k of Object.keys(total)) if (k !== 'file') total[k] += row[k];
}
for (const r of [...rows, total]) {
  const score = r.valid ? (100 * (r.Killed + r.Timeout) / r.valid).toFixed(2) : '-';
  console.log(`${r.file}: ${r.valid}/${r.total} valid, killed ${r.Killed}, timeout ${r.Timeout}, survived ${r.Survived}, no coverage ${r.NoCoverage}, errors ${r.errors}, score ${score} %`);
}
writeFileSync(out, JSON.stringify(merged));
