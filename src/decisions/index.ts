// Decisions made before a model request, in one place and apart from the output rules (src/postprocess): whether
// to ask for one line or a block, where the server stops and how many tokens it may spend, whether an automatic
// request is worth sending at all here, and how urgent it is (the scheduler's input). All text-only and cheap.
import type { DocumentContext } from '../document/types';
import { maxTokensFor, stopSequencesFor, type MultilineInput } from './multiline';
import { isFinishedLine } from './finishedLine';

export { decideMultiline, maxTokensFor, stopSequencesFor, type MultilineInput } from './multiline';
export { isFinishedLine, unclosedBrackets, type LineInput } from './finishedLine';

/** llama.cpp `t_max_predict_ms` for multi-line suggestions: after a line end, give up generating past this. */
export const MULTILINE_MAX_PREDICT_MS = 2500;

/**
 * Who waits for a request, highest priority first. 'user': the user paused where a suggestion is wanted.
 * 'speculative': the suggestion where accepting the one on screen leads (ready when Tab is pressed).
 * 'prefill': only reads the prompt into the server's cache at a new place, generates nothing.
 */
export type RequestKind = 'user' | 'speculative' | 'prefill';

/** The shape of one model request, before its prompt is built. */
export interface RequestPlan {
  multiline: boolean;
  /** Stops of our own (line ends), to go before the template's. */
  stop: string[];
  maxTokens: number;
  /** Generation time limit after a line end (llama.cpp `t_max_predict_ms`), for blocks only. */
  maxPredictMs?: number;
}

export interface PlanInput {
  languageId: string;
  multiline: boolean;
  limits: { singleLine: number; multiline: number };
  /** Overrides the limits (CLI --max-tokens). */
  maxTokens?: number;
}

/**
 * Single-line: the server stops at the line end, so no token is spent past it. Multi-line: the syntactic end is
 * left to the post-processor's early stop (see multiline.ts).
 */
export function planRequest(input: PlanInput): RequestPlan {
  const plan: RequestPlan = {
    multiline: input.multiline,
    stop: stopSequencesFor(input.multiline, input.languageId),
    maxTokens: input.maxTokens ?? maxTokensFor(input.multiline, input.limits),
  };
  if (input.multiline) plan.maxPredictMs = MULTILINE_MAX_PREDICT_MS;
  return plan;
}

/** The multi-line decision for the cursor; a failing decider means one line (logged by the caller's `onError`). */
export function multilineAt(doc: DocumentContext, decide: (input: MultilineInput) => boolean, onError?: (err: unknown) => void): boolean {
  try {
    return decide({ languageId: doc.languageId, prefix: doc.prefix, suffix: doc.suffix });
  } catch (err) {
    onError?.(err);
    return false;
  }
}

/**
 * An automatic request is not worth sending: the cursor ends a finished line (see finishedLine.ts) where only a
 * single line would be asked for.
 */
export function skipAutomaticAt(doc: DocumentContext, multiline: boolean): boolean {
  return !multiline && isFinishedLine({ languageId: doc.languageId, prefix: doc.prefix, lineSuffix: doc.lineSuffix });
}
