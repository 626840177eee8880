// Advice from the user's own numbers: at most three suggestions, each naming a setting, the value to try and
// what it should change, computed from the last RECENT_DAYS of the record. Nothing is advised on thin data.
import type { InfillConfig } from '../config/types';
import { addCounters, emptyCounters, shiftDay, sumCounters, type Counters, type StatsRow } from './record';
import { speeds } from './summary';

export interface Advice {
  /** The setting to change, e.g. "infill.maxPrefixTokens". */
  setting: string;
  /** The value to try, as the user would type it. */
  value: string;
  /** One or two sentences: the figure seen, the change, the expected effect. */
  text: string;
  /** Expected time saved per day (ms), to rank the advice. */
  savingMsPerDay: number;
}

export type AdviceSettings = Pick<InfillConfig,
  'backend' | 'maxPrefixTokens' | 'maxSuffixTokens' | 'maxContextTokens' | 'maxTokensMultiline' | 'keepAlive'>;

export const RECENT_DAYS = 7;
/** A suggestion at a new place should appear within this (ms). */
export const COLD_TARGET_MS = 1000;
/** Evidence needed before advising. */
const MIN_FINISHED_REQUESTS = 20;
const MIN_MULTILINE_SHOWN = 15;
const MIN_MODEL_LOADS = 3;
const MAX_ADVICE = 3;
/** Less code before the cursor than this costs more in quality than it saves in time. */
const MIN_PREFIX_TOKENS = 256;

export function adviseFromStats(rows: readonly StatsRow[], settings: AdviceSettings, today: string): Advice[] {
  const since = shiftDay(today, -(RECENT_DAYS - 1));
  const recent = rows.filter(row => row.day >= since && row.day <= today);
  const days = Math.max(1, new Set(recent.map(row => row.day)).size);
  const all = sumCounters(recent);
  const advice = [
    promptSpeedAdvice(all, recent.filter(row => row.day === latestDay(recent)), settings, days),
    ...multilineAdvice(recent, all, settings, days),
    modelLoadAdvice(all, settings, days),
  ].filter((a): a is Advice => a !== undefined);
  return advice.sort((a, b) => b.savingMsPerDay - a.savingMsPerDay).slice(0, MAX_ADVICE);
}

/** The server reads the prompt slowly: a suggestion at a new place waits for all of it. */
function promptSpeedAdvice(all: Counters, latest: StatsRow[], settings: AdviceSettings, days: number): Advice | undefined {
  const speed = speeds(all).promptTokensPerSecond;
  if (speed === undefined || all.requestsFinished < MIN_FINISHED_REQUESTS) return undefined;
  const today = sumCounters(latest);
  const source = today.requestsFinished > 0 ? today : all;
  const avgPrompt = source.promptTokens / Math.max(1, source.requestsFinished);
  const coldMs = (avgPrompt / speed) * 1000;
  if (coldMs <= COLD_TARGET_MS * 1.2) return undefined;
  // The prefix in today's prompts (estimated when recorded; else as much as the budget allows).
  const avgPrefix = source.prefixTokens > 0 ? source.prefixTokens / source.requestsFinished : Math.min(settings.maxPrefixTokens, avgPrompt);
  // Cut the prefix by what the server cannot read within the target, in steps of 64 tokens, keeping enough code.
  const readable = (speed * COLD_TARGET_MS) / 1000;
  const prefix = Math.max(MIN_PREFIX_TOKENS, Math.floor((avgPrefix - (avgPrompt - readable)) / 64) * 64);
  if (prefix >= Math.min(settings.maxPrefixTokens, avgPrefix)) return undefined;
  const newPrompt = Math.max(1, avgPrompt - (avgPrefix - prefix));
  const newColdMs = (newPrompt / speed) * 1000;
  // Cold requests are those the server's cache did not help with.
  const coldShare = all.promptTokens > 0 ? 1 - all.cachedPromptTokens / all.promptTokens : 1;
  const coldPerDay = (all.requestsFinished * coldShare) / days;
  const under = newColdMs <= COLD_TARGET_MS ? `under ${COLD_TARGET_MS} ms` : `to about ${formatSeconds(newColdMs)}`;
  return {
    setting: 'infill.maxPrefixTokens',
    value: String(prefix),
    text: `Your server reads about ${Math.round(speed)} prompt tokens/s, so a suggestion at a new place costs about `
      + `${formatSeconds(coldMs)} at today's prompt size (~${Math.round(avgPrompt)} tokens). `
      + `\`infill.maxPrefixTokens\` = ${prefix} (now ${settings.maxPrefixTokens}) would bring it ${under}, `
      + `with less of the file before the cursor in the prompt (about ${Math.round(avgPrefix)} tokens of it today).`,
    savingMsPerDay: (coldMs - newColdMs) * coldPerDay,
  };
}

/** Multi-line suggestions in a language are rarely taken: each still costs its generation time. */
function multilineAdvice(recent: StatsRow[], all: Counters, settings: AdviceSettings, days: number): Advice[] {
  const byLanguage = new Map<string, Counters>();
  for (const row of recent) {
    const c = byLanguage.get(row.language) ?? emptyCounters();
    addCounters(c, row.counters);
    byLanguage.set(row.language, c);
  }
  const generation = speeds(all).generationTokensPerSecond;
  const cap = Math.min(settings.maxTokensMultiline, 128);
  const out: Advice[] = [];
  for (const [language, c] of byLanguage) {
    if (c.shownMultiline < MIN_MULTILINE_SHOWN || cap >= settings.maxTokensMultiline) continue;
    const rate = c.acceptedMultiline / c.shownMultiline;
    if (rate >= 0.1) continue;
    const cost = generation
      ? ` At your server's ${Math.round(generation)} tokens/s, \`infill.maxTokensMultiline\` = ${cap} (now ${settings.maxTokensMultiline}) `
        + `caps each at about ${formatSeconds((cap / generation) * 1000)} of generation instead of ${formatSeconds((settings.maxTokensMultiline / generation) * 1000)}.`
      : ` \`infill.maxTokensMultiline\` = ${cap} (now ${settings.maxTokensMultiline}) keeps them short and the server free sooner.`;
    const savedPerSuggestion = generation ? ((settings.maxTokensMultiline - cap) / generation) * 1000 : 0;
    out.push({
      setting: 'infill.maxTokensMultiline',
      value: String(cap),
      text: `Multi-line suggestions in ${language} were accepted ${c.acceptedMultiline} of ${c.shownMultiline} times `
        + `(${Math.round(rate * 100)}%).${cost}`,
      savingMsPerDay: (savedPerSuggestion * c.shownMultiline) / days,
    });
  }
  // One multi-line advice is enough: the language where it costs most.
  return out.sort((a, b) => b.savingMsPerDay - a.savingMsPerDay).slice(0, 1);
}

/** The model is loaded again and again (Ollama unloads it when keepAlive expires). */
function modelLoadAdvice(all: Counters, settings: AdviceSettings, days: number): Advice | undefined {
  if (settings.backend !== 'ollama' || all.modelLoads < MIN_MODEL_LOADS) return undefined;
  const avgLoadMs = all.modelLoadMs / all.modelLoads;
  const longer = longerKeepAlive(settings.keepAlive);
  if (!longer) return undefined;
  return {
    setting: 'infill.keepAlive',
    value: longer,
    text: `The model was loaded ${all.modelLoads} times in ${days} day(s) of use, each time about ${formatSeconds(avgLoadMs)} `
      + `before the first suggestion. \`infill.keepAlive\` = "${longer}" (now "${settings.keepAlive}") keeps it in memory `
      + `longer between pauses, at the cost of the memory it holds.`,
    savingMsPerDay: all.modelLoadMs / days,
  };
}

/** The next step up from a keepAlive duration (30m → 2h → 8h), undefined when already "forever" or longer. */
export function longerKeepAlive(keepAlive: string): string | undefined {
  const minutes = durationMinutes(keepAlive);
  if (minutes === undefined || minutes < 0) return undefined;
  if (minutes < 120) return '2h';
  if (minutes < 480) return '8h';
  return undefined;
}

function durationMinutes(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^-\d/.test(trimmed)) return -1;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) / 60; // Ollama: a bare number is seconds
  let total = 0;
  let matched = '';
  for (const m of trimmed.matchAll(/(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g)) {
    const unit = { ns: 1e-9 / 60, us: 1e-6 / 60, ms: 1e-3 / 60, s: 1 / 60, m: 1, h: 60 }[m[2] as 'ns' | 'us' | 'ms' | 's' | 'm' | 'h'];
    total += Number(m[1]) * unit;
    matched += m[0];
  }
  return matched === trimmed && matched !== '' ? total : undefined;
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function latestDay(rows: StatsRow[]): string | undefined {
  return rows.reduce<string | undefined>((max, row) => (max === undefined || row.day > max ? row.day : max), undefined);
}
