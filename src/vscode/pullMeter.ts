// Ollama's pull stream (one status per layer, each with completed/total bytes) as progress-notification steps.
// No vscode import, so it is unit-tested.
import type { PullProgress } from '../backend/types';

/**
 * Turns Ollama's pull stream (one status per layer, each with completed/total bytes) into progress steps:
 * the bar follows the bytes of all layers seen so far and never moves back.
 */
export class PullMeter {
  private readonly layers = new Map<string, { completed: number; total: number }>();
  private shownPercent = 0;
  private lastStatus = '';

  update(p: PullProgress): { message: string; increment?: number; logLine?: string } {
    if (p.total && p.total > 0) this.layers.set(p.status, { completed: Math.min(p.completed ?? 0, p.total), total: p.total });
    let completed = 0;
    let total = 0;
    for (const layer of this.layers.values()) {
      completed += layer.completed;
      total += layer.total;
    }
    const percent = total > 0 ? Math.floor((completed / total) * 100) : 0;
    const increment = percent > this.shownPercent ? percent - this.shownPercent : undefined;
    if (increment) this.shownPercent = percent;
    const bytes = total > 0 ? ` (${formatBytes(completed)} of ${formatBytes(total)})` : '';
    const status = p.status.replace(/^pulling ([0-9a-f]{12})[0-9a-f]+/, 'pulling $1');
    const logLine = status !== this.lastStatus ? status : undefined;
    this.lastStatus = status;
    return { message: `${status}${bytes}`, increment, logLine };
  }
}

export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(0)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}
