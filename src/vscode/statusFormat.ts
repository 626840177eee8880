// What the status bar item says, as plain functions of its state (no vscode import, so they are unit-tested).
import { maskCredentials } from '../util/url';

export type StatusKind = 'idle' | 'working' | 'error' | 'disabled' | 'snoozed';

/** Figures of the last finished request, shown in the tooltip. */
export interface LastRequestFigures {
  /** Time to the first streamed token, ms. */
  ttftMs?: number;
  /** Whole request, ms. */
  totalMs?: number;
  /** Generated tokens (as the server counted them), when known. */
  tokens?: number;
  /** Where the suggestion came from: 'model', 'cache', 'typed-through'... */
  source?: string;
}

export interface StatusView {
  kind: StatusKind;
  /** Why: the error message, or what disabled completion. */
  reason?: string;
  last?: LastRequestFigures;
  model: string;
  endpoint: string;
  /** Epoch ms when a snooze ends. */
  snoozedUntil?: number;
  /** Language of the active editor when completion is off for it. */
  languageOff?: string;
  /** Why the current file gets no completion (too large, binary, excluded), when it does not. */
  fileNote?: string;
}

const ICONS: Record<StatusKind, string> = {
  idle: '$(sparkle)',
  working: '$(loading~spin)',
  error: '$(warning)',
  disabled: '$(circle-slash)',
  snoozed: '$(clock)',
};

export function minutesLeft(until: number | undefined, now: number): number {
  return until === undefined ? 0 : Math.max(0, Math.ceil((until - now) / 60_000));
}

/** The short status bar text, e.g. "$(sparkle) Infill" or "$(clock) Infill 14m". */
export function statusText(view: StatusView, now: number): string {
  const base = `${ICONS[view.kind]} Infill`;
  if (view.kind === 'snoozed') return `${base} ${minutesLeft(view.snoozedUntil, now)}m`;
  return base;
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** One line about the last request: "first token 120 ms · total 450 ms · 23 tokens". */
export function timingsLine(t: LastRequestFigures | undefined): string | undefined {
  if (!t || (t.ttftMs === undefined && t.totalMs === undefined && t.tokens === undefined)) return undefined;
  const parts = [`first token ${formatMs(t.ttftMs)}`, `total ${formatMs(t.totalMs)}`];
  if (t.tokens !== undefined) parts.push(`${t.tokens} tokens`);
  if (t.source && t.source !== 'model') parts.push(`from ${t.source}`);
  return parts.join(' · ');
}

/** Escapes text for a Markdown tooltip (error messages may hold `*`, `_`, brackets, HTML). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, ch => `\\${ch}`);
}

/**
 * Messages mark settings and commands as `code` (the CLI prints them so). In Markdown those spans render as code
 * and the rest is escaped; a backtick without a partner becomes a plain quote, so no backtick shows literally.
 */
export function messageMarkdown(text: string): string {
  const parts = text.split('`');
  if (parts.length % 2 === 0) parts.splice(-2, 2, `${parts[parts.length - 2]}'${parts[parts.length - 1]}`);
  return parts.map((part, i) => (i % 2 === 1 ? (part ? `\`${part}\`` : '') : escapeMarkdown(part))).join('');
}

/** The same message as plain text (notifications, quick pick titles, screen readers): code marks dropped. */
export function plainMessage(text: string): string {
  return text.replace(/`/g, '');
}

/** The tooltip as Markdown: state and reason, model and endpoint, the last request's timings, a hint. */
export function statusTooltip(view: StatusView, now: number): string {
  const lines: string[] = [];
  switch (view.kind) {
    case 'idle': lines.push('**Infill** is ready'); break;
    case 'working': lines.push('**Infill** is completing…'); break;
    case 'error': lines.push(`**Infill error:** ${messageMarkdown(maskCredentials(view.reason ?? 'unknown error'))}`); break;
    case 'disabled': lines.push(`**Infill** is off${view.reason ? ': ' + messageMarkdown(maskCredentials(view.reason)) : ''}`); break;
    case 'snoozed': lines.push(`**Infill** is snoozed for ${minutesLeft(view.snoozedUntil, now)} more minute(s)`); break;
  }
  if (view.languageOff && view.kind !== 'disabled') lines.push(`Off for ${escapeMarkdown(view.languageOff)} files`);
  if (view.fileNote) lines.push(`Not completing in this file: ${messageMarkdown(view.fileNote)}`);
  lines.push(`Model: \`${view.model.replace(/`/g, "'")}\` at ${escapeMarkdown(maskCredentials(view.endpoint))}`);
  const timings = timingsLine(view.last);
  if (timings) lines.push(`Last request: ${timings}`);
  lines.push('Click for options');
  return lines.join('\n\n');
}
