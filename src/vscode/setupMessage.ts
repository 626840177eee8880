// What "Infill: Check Setup" says when it is done: one notification, its severity and its buttons. Plain
// TypeScript (no vscode import), so the rules are unit-tested.
import type { SetupReport } from '../pipeline/setupCheck';
import { plainMessage } from './statusFormat';

export const SHOW_LOG = 'Show Log';
export const OPEN_SETTINGS = 'Open Settings';
export const pullAction = (model: string) => `Pull ${model}`;

export interface SetupMessage {
  severity: 'info' | 'warning';
  text: string;
  /** Buttons, in order. */
  actions: string[];
}

export type SetupOutcome = Pick<SetupReport, 'ok' | 'summary' | 'reachable' | 'modelMissing' | 'backend' | 'model'>;

/**
 * The message for a finished check. `pulled`: the model this check follows a download of, so the message says
 * whether the downloaded model now works (the re-check's result), not merely that the download ended.
 */
export function setupMessage(report: SetupOutcome, pulled?: string): SetupMessage {
  const actions: string[] = [];
  if (report.modelMissing && report.backend === 'ollama') actions.push(pullAction(report.model));
  // No server answered: the endpoint or backend may be wrong, so the settings sit next to the log.
  if (!report.reachable) actions.push(OPEN_SETTINGS);
  actions.push(SHOW_LOG);
  const summary = plainMessage(report.summary);
  let text: string;
  if (!pulled) text = `Infill: ${summary}`;
  else if (report.ok) text = `Infill: downloaded ${pulled}, and it works: ${summary}`;
  else text = `Infill: downloaded ${pulled}, but the check still fails: ${summary}`;
  return { severity: report.ok ? 'info' : 'warning', text, actions };
}
