// A sample statistics record for the UI check: two weeks of made-up but plausible use (Python, TypeScript, Go on
// a CPU-only server), written where the extension keeps its record, so the statistics view the check opens (and
// the README's screenshot) shows filled charts and the three kinds of advice. Deterministic: same days, same numbers.
import fs from 'fs';
import path from 'path';
import { createRequire } from 'module';

const require = createRequire(import.meta.url);

/** Writes the sample record into `globalStorageDir`; returns its totals (to check the view against). */
export function seedStatistics(globalStorageDir, outDir, now = Date.now()) {
  const { emptyRow, bucketOf, dayOf, shiftDay } = require(path.join(outDir, 'src', 'stats', 'record.js'));
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const between = (low, high) => Math.round(low + (high - low) * random());
  const today = dayOf(now);
  const rows = [];
  const languages = [['python', 1, 0.34], ['typescript', 0.6, 0.27], ['go', 0.35, 0.2]];
  for (let back = 13; back >= 0; back--) {
    const day = shiftDay(today, -back);
    const weekend = new Date(`${day}T12:00:00`).getDay() % 6 === 0;
    for (const [language, share, acceptance] of languages) {
      const r = emptyRow(day, language, 'qwen2.5-coder:1.5b-base');
      const c = r.counters;
      c.shown = Math.round(between(70, 130) * share * (weekend ? 0.25 : 1));
      c.shownMultiline = Math.round(c.shown * 0.3);
      c.acceptedWhole = Math.round(c.shown * acceptance * (0.85 + 0.3 * random()));
      c.acceptedPartly = Math.round(c.shown * 0.05);
      c.acceptedMultiline = language === 'go' ? Math.round(c.shownMultiline * 0.05) : Math.round(c.shownMultiline * 0.3);
      c.partialWordAccepts = c.acceptedPartly + between(0, 3);
      c.dismissed = c.shown - c.acceptedWhole - c.acceptedPartly;
      c.charsAccepted = c.acceptedWhole * between(18, 30);
      c.charsTyped = c.shown * between(25, 40);
      c.typedThroughAnswers = Math.round(c.shown * 0.6);
      c.cacheAnswers = Math.round(c.shown * 0.08);
      c.requests = Math.round(c.shown * 1.4);
      c.requestsCancelled = Math.round(c.requests * 0.25);
      c.requestsFinished = c.requests - c.requestsCancelled;
      c.earlyStops = Math.round(c.requestsFinished * 0.7);
      c.promptTokens = c.requestsFinished * between(850, 1100);
      c.cachedPromptTokens = Math.round(c.promptTokens * 0.55);
      c.prefixTokens = c.requestsFinished * between(520, 700);
      c.serverPromptTokens = c.promptTokens - c.cachedPromptTokens;
      c.serverPromptMs = Math.round((c.serverPromptTokens / between(90, 120)) * 1000);
      c.serverGeneratedTokens = c.requestsFinished * between(14, 24);
      c.serverGenerationMs = Math.round((c.serverGeneratedTokens / between(16, 22)) * 1000);
      if (language === 'python' && !weekend) {
        c.modelLoads = between(1, 2);
        c.modelLoadMs = c.modelLoads * between(4000, 6500);
      }
      for (let i = 0; i < c.shown; i++) {
        const cold = random() < 0.35;
        r.ghostTextMs[bucketOf(cold ? between(1500, 9000) : between(120, 900))]++;
      }
      for (let i = 0; i < c.requestsFinished; i++) r.firstTokenMs[bucketOf(random() < 0.4 ? between(2000, 9000) : between(150, 1200))]++;
      if (c.shown > 0) rows.push(r);
    }
  }
  fs.mkdirSync(globalStorageDir, { recursive: true });
  fs.writeFileSync(path.join(globalStorageDir, 'statistics.json'), JSON.stringify({ version: 1, rows }));
  const sum = name => rows.reduce((n, r) => n + r.counters[name], 0);
  return { from: rows[0].day, acceptedWhole: sum('acceptedWhole'), shown: sum('shown') };
}
