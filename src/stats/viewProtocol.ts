// Messages between the extension host and the statistics webview.
import type { Advice } from './advice';
import type { StatsSummary } from './summary';

export interface ViewData {
  summary: StatsSummary;
  advice: Advice[];
  /** Setting infill.recordStatistics. */
  recording: boolean;
  /** Where the record is kept, shown under the charts. */
  storagePath: string;
}

export type HostMessage = { type: 'data'; data: ViewData };

export type ViewAction = 'exportJson' | 'exportCsv' | 'clear';

/** What the page shows once drawn, read back from its own DOM (the integration tests check it). */
export interface RenderedReport {
  /** Text of every [data-stat] element. */
  stats: Record<string, string>;
  /** Ids of the charts drawn. */
  charts: string[];
  advice: string[];
  /** Content-security-policy violations the page saw (expected: none). */
  cspViolations: string[];
}

export type ViewMessage =
  | { type: 'ready' }
  | { type: 'rendered'; report: RenderedReport }
  | { type: 'action'; action: ViewAction };
