// Export of the statistics record: the JSON file as stored, or CSV with one line per day, language and model
// (every counter, the p50/p95 of time to ghost text and first token, and the server's speeds).
import { COUNTER_NAMES, type StatsRow } from './record';
import type { StatsFileContent } from './store';
import { percentile, speeds } from './summary';

export function exportJson(content: StatsFileContent): string {
  return JSON.stringify(content, null, 2) + '\n';
}

export const CSV_COLUMNS = [
  'day', 'language', 'model', ...COUNTER_NAMES,
  'ghostTextP50Ms', 'ghostTextP95Ms', 'firstTokenP50Ms', 'firstTokenP95Ms', 'promptTokensPerSecond', 'generationTokensPerSecond',
] as const;

export function exportCsv(rows: readonly StatsRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) {
    const speed = speeds(row.counters);
    const values: (string | number | undefined)[] = [
      row.day, row.language, row.model, ...COUNTER_NAMES.map(name => round(row.counters[name])),
      round(percentile(row.ghostTextMs, 0.5)), round(percentile(row.ghostTextMs, 0.95)),
      round(percentile(row.firstTokenMs, 0.5)), round(percentile(row.firstTokenMs, 0.95)),
      round(speed.promptTokensPerSecond, 1), round(speed.generationTokensPerSecond, 1),
    ];
    lines.push(values.map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

function round(value: number | undefined, digits = 0): number | undefined {
  if (value === undefined) return undefined;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** RFC 4180 quoting; a field that a spreadsheet would run as a formula (=, +, -, @) is prefixed with '. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
