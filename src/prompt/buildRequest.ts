// Turns the cut document, the related snippets and the model's FIM template into one backend request.
import { laysOutFimItself, type CompletionRequest, type BackendKind } from '../backend/types';
import type { InfillConfig } from '../config/types';
import type { ContextSnippet } from '../context/types';
import type { DocumentContext } from '../document/types';
import { planRequest } from '../decisions';
import { estimateTokens } from './tokens';
import type { FimTemplate } from './types';

/**
 * 'template': we lay out the prompt with the family's FIM tokens and the server runs it raw (Ollama `raw`,
 * OpenAI `prompt`); related files go inside the prompt (repo-level tokens where the family has them).
 * 'native': the server applies its own FIM layout (llama.cpp `/infill` with `input_extra` snippets).
 */
export type PromptMode = 'template' | 'native';

export function defaultPromptMode(backend: BackendKind): PromptMode {
  return laysOutFimItself(backend) ? 'native' : 'template';
}

export interface BuildRequestInput {
  doc: DocumentContext;
  snippets: ContextSnippet[];
  template: FimTemplate;
  config: InfillConfig;
  multiline: boolean;
  /** Defaults to defaultPromptMode(config.backend). */
  mode?: PromptMode;
  /** Workspace name for repo-level templates. */
  repoName?: string;
  /** Overrides config.maxTokensSingleLine / maxTokensMultiline (CLI --max-tokens). */
  maxTokens?: number;
}

/** The snippets that fit the context budget, best first (the provider should already have cut them). */
export function snippetsWithinBudget(snippets: ContextSnippet[], maxTokens: number, languageId?: string): ContextSnippet[] {
  const kept: ContextSnippet[] = [];
  let used = 0;
  for (const snippet of snippets) {
    const cost = estimateTokens(snippet.content, languageId) + estimateTokens(snippet.relativePath) + 2;
    if (used + cost > maxTokens) continue; // a smaller one further down may still fit
    kept.push(snippet);
    used += cost;
  }
  return kept;
}

export function buildCompletionRequest(input: BuildRequestInput): CompletionRequest {
  const { doc, template, config, multiline } = input;
  const mode = input.mode ?? defaultPromptMode(config.backend);
  const snippets = config.contextEnabled
    ? snippetsWithinBudget(input.snippets, config.maxContextTokens, doc.languageId)
    : [];
  // Line stops go first: OpenAI-compatible servers keep only the first four stop strings.
  const plan = planRequest({
    languageId: doc.languageId, multiline,
    limits: { singleLine: config.maxTokensSingleLine, multiline: config.maxTokensMultiline }, maxTokens: input.maxTokens,
  });
  const request: CompletionRequest = {
    model: config.model,
    prefix: doc.prefix,
    suffix: doc.suffix,
    maxTokens: plan.maxTokens,
    temperature: config.temperature,
    stop: mergeStops(plan.stop, template),
    keepAlive: config.keepAlive || undefined,
    indent: doc.indent.length,
  };
  if (plan.maxPredictMs !== undefined) request.maxPredictMs = plan.maxPredictMs;
  return withPrompt(request, {
    mode, template, relativePath: doc.relativePath, languageId: doc.languageId, snippets, repoName: input.repoName, lineAfterMiddle: true,
  });
}

/**
 * Stop sequences for a request: the caller's own (line ends, sibling starts) before the template's, because
 * OpenAI-compatible servers keep only the first four.
 */
export function mergeStops(own: string[], template: FimTemplate): string[] {
  return unique([...own, ...template.stop]);
}

/**
 * Adds the prompt in the form the server takes: related snippets as `extra` beside prefix/suffix for native
 * FIM (llama.cpp /infill, which puts the cursor line after the middle token itself: backend/llamacpp.ts), else the
 * whole templated prompt. With `lineAfterMiddle` (completion while typing) and a prompt that ends with the middle
 * token, the cursor line's typed text goes after it (the hole then starts at the line start and the middle with
 * that text, as llama.cpp /infill lays it out): typing along a line leaves the prefix and suffix cached, and the
 * server reads only the line again.
 */
export function withPrompt(
  request: CompletionRequest,
  prompt: {
    mode: 'template' | 'native'; template: FimTemplate; relativePath: string; languageId: string; snippets: ContextSnippet[]; repoName?: string;
    lineAfterMiddle?: boolean;
  },
): CompletionRequest {
  const { mode, template, relativePath, languageId, snippets, repoName } = prompt;
  if (mode === 'native') {
    if (snippets.length) request.extra = snippets.map(s => ({ filename: s.relativePath, text: s.content }));
  } else {
    const line = prompt.lineAfterMiddle && template.middleLast ? request.prefix.slice(request.prefix.lastIndexOf('\n') + 1) : '';
    const prefix = request.prefix.slice(0, request.prefix.length - line.length);
    request.prompt = template.build({ prefix, suffix: request.suffix, relativePath, languageId, snippets, repoName }) + line;
  }
  return request;
}

function unique(items: string[]): string[] {
  return [...new Set(items.filter(s => s.length > 0))];
}
