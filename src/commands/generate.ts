// The generation loop both commands share: build the prompt (FIM, or chat for chat-only models), stream the
// model's answer, stop early once the result is visibly complete, validate it with tree-sitter, and retry once
// with a tighter request (temperature 0, stop sequences, stricter wording) before giving up with the reasons.
// Plain Node: the VS Code adapter supplies the backend, the template and the signal, and applies the edit.
import type { Backend, CompletionRequest, StreamChunk } from '../backend/types';
import type { InfillConfig } from '../config/types';
import type { FimTemplate } from '../prompt/types';
import { defaultPromptMode, mergeStops, withPrompt } from '../prompt/buildRequest';
import { abortError } from '../util/abort';
import type { Logger } from '../util/log';
import type { FoundComment } from './comments';
import {
  chatCodeAsInsertion, conformFunction, cutAtFunctionEnd, extractCode, functionChatMessages, functionFimParts, joinedFimOutput,
  planFunctionInsertion, siblingStops, type ChatMessage,
} from './insertion';
import { chatTestsAsInsertion, testsChatMessages, testsFimParts, testsHeader, testsSurroundings, type TestSubject } from './prompts';
import type { SupportFile, TestSetup } from './testFramework';
import { finishTestImports, missingRunnerFunction } from './testImports';
import { validateFunction, validateTests } from './validate';

/** How the model is asked: fill-in-the-middle with a template, or Ollama chat when the model has no FIM. */
export type GenerationMode = { kind: 'fim'; template: FimTemplate } | { kind: 'chat' };

export interface GenerationDeps {
  backend: Backend;
  mode: GenerationMode;
  config: InfillConfig;
  log: Logger;
  signal: AbortSignal;
  /** The model's text so far, while it streams (for a progress message). */
  onText?(text: string): void;
  /**
   * What the edit would insert so far, while it streams (for a live preview in the editor). Called with the
   * text that replaces the edit's range; the final text comes in the result.
   */
  onPreview?(insertion: string): void;
  /** The workspace name, for repo-level FIM templates. */
  repoName?: string;
}

/** Token budgets: a whole function or a set of tests needs far more than a ghost-text suggestion. */
export const FUNCTION_MAX_TOKENS = 768;
export const TESTS_MAX_TOKENS = 1200;

/** Generation gave no usable code after the retry; the message says why, for the user. */
export class GenerationFailed extends Error {
  override readonly name = 'GenerationFailed';
  constructor(message: string, readonly reasons: string[]) {
    super(message);
  }
}

/** One text edit on a document, in offsets of its current text. */
export interface TextEditPlan {
  start: number;
  end: number;
  text: string;
}

export interface FunctionResult {
  edit: TextEditPlan;
  /** The function alone, as inserted (indented). */
  functionText: string;
  attempts: number;
  trimmed: boolean;
}

export async function generateFunction(
  deps: GenerationDeps,
  input: { languageId: string; relativePath: string; text: string; comment: FoundComment },
): Promise<FunctionResult> {
  const { text, languageId } = input;
  const plan = planFunctionInsertion(languageId, text, input.comment);
  const before = text.slice(0, plan.start) + plan.leading;
  const after = plan.trailing + text.slice(plan.end);
  const reasons: string[] = [];

  for (let attempt = 0; attempt < 2; attempt++) {
    const tight = attempt > 0;
    let candidate: string;
    if (deps.mode.kind === 'fim') {
      const { prefix, suffix } = functionFimParts(text, plan);
      const stops = tight ? siblingStops(plan.language, plan.indentation, plan.comment.inClass) : [];
      const request = fimRequest(deps, deps.mode.template, { prefix, suffix, relativePath: input.relativePath, languageId }, {
        maxTokens: FUNCTION_MAX_TOKENS,
        temperature: tight ? 0 : deps.config.temperature,
        stop: stops,
      });
      const output = await collect(deps, signal => deps.backend.stream(request, signal), {
        done: soFar => isFunctionDone(joinedFimOutput(plan, soFar), plan),
        preview: soFar => plan.leading + conformFunction(plan, joinedFimOutput(plan, soFar)),
      });
      candidate = conformFunction(plan, joinedFimOutput(plan, output));
    } else {
      const messages = functionChatMessages(text, plan, input.relativePath, { tight });
      const reply = await chat(deps, messages, FUNCTION_MAX_TOKENS, tight, code => plan.leading + chatCodeAsInsertion(code, plan));
      candidate = chatCodeAsInsertion(extractCode(reply), plan);
    }

    const cut = cutAtFunctionEnd(candidate, plan.language, plan.indentation);
    let verdict = await validateFunction(languageId, before, cut ?? candidate, after, text);
    if (!verdict.ok && cut !== undefined && cut !== candidate.trimEnd()) verdict = await validateFunction(languageId, before, candidate, after, text);
    if (verdict.ok) {
      deps.log.info(`Generated a function from the comment in ${input.relativePath} (attempt ${attempt + 1}${verdict.trimmed || (cut !== undefined && cut !== candidate.trimEnd()) ? ', trailing text trimmed' : ''})`);
      return {
        edit: { start: plan.start, end: plan.end, text: plan.leading + verdict.text + plan.trailing },
        functionText: plan.indentation + verdict.text,
        attempts: attempt + 1,
        trimmed: verdict.trimmed,
      };
    }
    reasons.push(verdict.reason);
    deps.log.warn(`Generated function rejected (attempt ${attempt + 1}): ${verdict.reason}`);
    deps.log.debug(`Rejected output:\n${candidate}`);
  }
  throw new GenerationFailed(`The model did not produce one complete function: ${unique(reasons).join('; then ')}.`, reasons);
}

export interface TestsResult {
  /** Edits to the test file's current text ('' when it is to be created), applied together. */
  edits: TextEditPlan[];
  /** The tests with their scaffold, inserted at setup.insertAt (one of `edits`). */
  insertion: TextEditPlan;
  /** The generated tests alone (without scaffold or header). */
  testsText: string;
  attempts: number;
  /** A new file the tests need to run with the plain command (created in the same edit). */
  supportFile?: SupportFile;
}

export async function generateTests(deps: GenerationDeps, setup: TestSetup, subject: TestSubject): Promise<TestsResult> {
  const { before, after } = testsSurroundings(setup, subject);
  const reasons: string[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const tight = attempt > 0;
    let candidate: string;
    if (deps.mode.kind === 'fim') {
      const { prefix, suffix, snippets } = testsFimParts(setup, subject);
      const request = fimRequest(deps, deps.mode.template, { prefix, suffix, relativePath: setup.testFilePath, languageId: subject.languageId, snippets }, {
        maxTokens: TESTS_MAX_TOKENS,
        temperature: tight ? 0 : deps.config.temperature,
        stop: [],
      });
      const opening = setup.scaffoldBefore + testsHeader(setup, subject);
      candidate = await collect(deps, signal => deps.backend.stream(request, signal), { preview: soFar => opening + soFar });
    } else {
      const opening = setup.scaffoldBefore + testsHeader(setup, subject);
      const reply = await chat(deps, testsChatMessages(setup, subject, { tight }), TESTS_MAX_TOKENS, tight, code => opening + chatTestsAsInsertion(code, setup));
      candidate = chatTestsAsInsertion(extractCode(reply), setup);
    }
    const verdict = await validateTests(subject.languageId, before, candidate.replace(/^\n+/, ''), after);
    const problem = verdict.ok ? missingRunnerFunction(setup.framework, verdict.text) : verdict.reason;
    if (verdict.ok && !problem) {
      deps.log.info(`Generated tests for ${subject.symbol.name} into ${setup.testFilePath} (attempt ${attempt + 1}${verdict.trimmed ? ', cut back to the last complete test' : ''})`);
      return testsResult(setup, subject, verdict.text, attempt + 1);
    }
    reasons.push(problem!);
    deps.log.warn(`Generated tests rejected (attempt ${attempt + 1}): ${problem}`);
    deps.log.debug(`Rejected output:\n${candidate}`);
  }
  throw new GenerationFailed(`The model did not produce valid tests: ${unique(reasons).join('; then ')}.`, reasons);
}

/** The edits for accepted tests: the tests with their scaffold, and the imports they need. */
function testsResult(setup: TestSetup, subject: TestSubject, tests: string, attempts: number): TestsResult {
  const finished = finishTestImports(setup, tests, subject.moduleNames);
  const insertion: TextEditPlan = {
    start: setup.insertAt,
    end: setup.insertAt,
    text: finished.scaffoldBefore + testsHeader(setup, subject) + tests + setup.scaffoldAfter,
  };
  // An import at the same offset (a file without imports) goes first.
  const edits = [...finished.importEdits, insertion].sort((a, b) => a.start - b.start);
  return { edits, insertion, testsText: tests, attempts, ...(setup.supportFile ? { supportFile: setup.supportFile } : {}) };
}

/** Applies edits (non-overlapping, any order) to a text: what the adapter does in one WorkspaceEdit. */
export function applyEdits(text: string, edits: TextEditPlan[]): string {
  let out = text;
  // From the end backwards; at equal offsets the earlier edit in the list ends up first in the text.
  const order = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.start - a.e.start || b.i - a.i);
  for (const { e } of order) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function fimRequest(
  deps: GenerationDeps,
  template: FimTemplate,
  parts: { prefix: string; suffix: string; relativePath: string; languageId: string; snippets?: import('../context/types').ContextSnippet[] },
  options: { maxTokens: number; temperature: number; stop: string[] },
): CompletionRequest {
  const config = deps.config;
  const request: CompletionRequest = {
    model: config.model,
    prefix: parts.prefix,
    suffix: parts.suffix,
    maxTokens: options.maxTokens,
    temperature: options.temperature,
    stop: mergeStops(options.stop, template),
    keepAlive: config.keepAlive || undefined,
  };
  return withPrompt(request, {
    mode: defaultPromptMode(config.backend), template, relativePath: parts.relativePath, languageId: parts.languageId, snippets: parts.snippets ?? [], repoName: deps.repoName,
  });
}

async function chat(deps: GenerationDeps, messages: ChatMessage[], maxTokens: number, tight: boolean, preview: (code: string) => string): Promise<string> {
  const backend = deps.backend;
  if (!backend.chat) throw new GenerationFailed(`The ${backend.kind} backend has no chat API, and the model "${deps.config.model}" cannot fill in the middle. Choose a code model with FIM support (e.g. qwen2.5-coder:1.5b-base).`, []);
  const request = { model: deps.config.model, messages, maxTokens, temperature: tight ? 0 : deps.config.temperature, keepAlive: deps.config.keepAlive || undefined };
  // A closed code fence is the end of what we need.
  return collect(deps, signal => backend.chat!(request, signal), {
    done: soFar => /```[^\n]*\n[\s\S]*?\n[ \t]*```/.test(soFar),
    // Prose before the code block is not previewed.
    preview: soFar => (/```[^\n]*\n/.test(soFar) ? preview(extractCode(soFar)) : undefined),
  });
}

/** Reads a stream to its end (or until `done` says the text so far is complete), reporting progress. */
async function collect(
  deps: GenerationDeps,
  open: (signal: AbortSignal) => AsyncIterable<StreamChunk>,
  options: { done?(soFar: string): boolean; preview?(soFar: string): string | undefined },
): Promise<string> {
  const controller = new AbortController();
  const forward = () => controller.abort(deps.signal.reason);
  if (deps.signal.aborted) forward();
  else deps.signal.addEventListener('abort', forward, { once: true });
  let text = '';
  try {
    for await (const chunk of open(controller.signal)) {
      if (deps.signal.aborted) break;
      text += chunk.text;
      deps.onText?.(text);
      if (deps.onPreview && options.preview) {
        const shown = options.preview(text);
        if (shown !== undefined) deps.onPreview(shown);
      }
      if (options.done?.(text)) {
        deps.log.debug('Generation stopped early: the result is complete');
        break;
      }
    }
  } finally {
    // Stops the server generating past what we keep.
    deps.signal.removeEventListener('abort', forward);
    controller.abort();
  }
  if (deps.signal.aborted) throw deps.signal.reason instanceof Error ? deps.signal.reason : abortError();
  return text;
}

/** The function ended and the model went on to something else. */
function isFunctionDone(candidate: string, plan: ReturnType<typeof planFunctionInsertion>): boolean {
  const cut = cutAtFunctionEnd(candidate, plan.language, plan.indentation);
  return cut !== undefined && candidate.slice(cut.length).trim().length > 0;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
