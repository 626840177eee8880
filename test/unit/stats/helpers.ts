// Builders for statistics tests: events at a fixed local day, and rows with chosen counters.
import { applyEvent, emptyRow, type Counters, type StatsEvent, type StatsRow } from '../../../src/stats/record';

/** Noon local time on `day` (YYYY-MM-DD), as epoch ms. */
export function at(day: string, hour = 12): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d, hour).getTime();
}

type EventBody = StatsEvent extends infer E ? E extends StatsEvent ? Omit<E, 'language' | 'model' | 'at'> : never : never;

export function event(body: EventBody, where: { day?: string; language?: string; model?: string } = {}): StatsEvent {
  return { language: where.language ?? 'python', model: where.model ?? 'qwen', at: at(where.day ?? '2026-12-03'), ...body } as StatsEvent;
}

export function row(day: string, counters: Partial<Counters>, language = 'python', model = 'qwen'): StatsRow {
  const r = emptyRow(day, language, model);
  Object.assign(r.counters, counters);
  return r;
}

export function rowFrom(events: StatsEvent[], day = '2026-12-03', language = 'python', model = 'qwen'): StatsRow {
  const r = emptyRow(day, language, model);
  for (const e of events) applyEvent(r, e);
  return r;
}
