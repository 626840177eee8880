// Prompts for "Write Tests for This": FIM around the insertion point of the test file (so the model continues
// the file in its own style, with its imports in view) or, for chat-only models, one chat request with the
// symbol's source and the test file marked where the tests go.
import type { ContextSnippet } from '../context/types';
import { commandLanguage, rulesFor, type CommandLanguage } from './languageRules';
import { cutPrefix, cutSuffix, DEFAULT_BUDGET, fenceTag, languageName, type ChatMessage, type PromptBudget } from './insertion';
import type { CodeSymbol } from './symbols';
import { frameworkLabel, type TestSetup } from './testFramework';
import { dedent } from './text';

export interface TestSubject {
  languageId: string;
  /** Workspace-relative path of the source file. */
  sourcePath: string;
  symbol: Pick<CodeSymbol, 'name' | 'kind' | 'container' | 'text'>;
  /** The module's other importable names (exported functions and classes), imported when the tests use them. */
  moduleNames?: string[];
}

/** Most of a big class is noise for the prompt: keep this many characters of a symbol's source. */
const MAX_SYMBOL_CHARS = 6000;

/** How the symbol is called in prose: "Rect.area", "parse_date". */
export function symbolLabel(symbol: Pick<CodeSymbol, 'name' | 'container'>): string {
  return symbol.container ? `${symbol.container}.${symbol.name}` : symbol.name;
}

/** The comment line that opens the generated tests; it stays in the file and steers the model. */
export function testsHeader(setup: TestSetup, target: TestSubject): string {
  const language = commandLanguage(target.languageId) as CommandLanguage;
  const marker = rulesFor(language).lineComment;
  return `${setup.indentation}${marker} Tests for ${symbolLabel(target.symbol)} (${frameworkLabel(setup.framework)})\n`;
}

/** The text around the generated tests once inserted: everything before them and everything after. */
export function testsSurroundings(setup: TestSetup, target: TestSubject): { before: string; after: string } {
  const content = setup.existingContent;
  return {
    before: content.slice(0, setup.insertAt) + setup.scaffoldBefore + testsHeader(setup, target),
    after: setup.scaffoldAfter + content.slice(setup.insertAt),
  };
}

/** FIM parts: prefix ends right after the header comment, at a line start; the symbol's source goes as a snippet. */
export function testsFimParts(setup: TestSetup, target: TestSubject, budget: PromptBudget = DEFAULT_BUDGET): { prefix: string; suffix: string; snippets: ContextSnippet[] } {
  const { before, after } = testsSurroundings(setup, target);
  // A same-file test module already has the symbol in its prefix.
  const snippets: ContextSnippet[] = setup.sameFile
    ? []
    : [{ relativePath: target.sourcePath, content: symbolSource(target), source: 'same-file', score: 1 }];
  return { prefix: cutPrefix(before, budget.prefixChars), suffix: cutSuffix(after, budget.suffixChars), snippets };
}

function symbolSource(target: TestSubject): string {
  const text = target.symbol.text;
  return text.length <= MAX_SYMBOL_CHARS ? text : text.slice(0, MAX_SYMBOL_CHARS) + '\n...';
}

export const TESTS_MARKER = '<<<NEW TESTS GO HERE>>>';

export function testsChatMessages(setup: TestSetup, target: TestSubject, options: { tight?: boolean; budget?: PromptBudget } = {}): ChatMessage[] {
  const language = commandLanguage(target.languageId) as CommandLanguage;
  const lang = languageName(language);
  const fence = '```' + fenceTag(language);
  const framework = frameworkLabel(setup.framework);
  const budget = options.budget ?? DEFAULT_BUDGET;
  const { before, after } = testsSurroundings(setup, target);
  const label = symbolLabel(target.symbol);
  const kind = target.symbol.kind === 'class' ? 'class' : target.symbol.kind === 'method' ? 'method' : 'function';
  const lines = [
    `The ${kind} \`${label}\` in \`${target.sourcePath}\`:`,
    fence,
    symbolSource(target),
    '```',
    `The test file \`${setup.testFilePath}\`${setup.exists ? '' : ' (new)'}, with ${TESTS_MARKER} where the new tests go:`,
    fence,
    cutPrefix(before, budget.prefixChars) + TESTS_MARKER + cutSuffix(after, budget.suffixChars),
    '```',
    `Write ${framework} tests for \`${label}\` to put at the marker: cover normal use, edge cases and errors it raises.`,
    'Follow the style, naming and assertion helpers of the test file; its imports are already there.',
    setup.indentation ? `The tests sit inside a block: indent them by ${JSON.stringify(setup.indentation)}.` : 'The tests sit at the top level of the file.',
    `Reply with exactly one fenced ${fence} block holding only the new tests: no imports, no code already in the file, no explanation.`,
  ];
  if (options.tight) lines.push('Nothing outside the code block. Every test must be complete and the block must parse on its own.');
  return [
    { role: 'system', content: `You are an expert ${lang} programmer who writes clear, thorough ${framework} tests. You answer with code only.` },
    { role: 'user', content: lines.join('\n') },
  ];
}

/** Chat-reply code placed at the setup's indentation (every line: the tests start at a line start). */
export function chatTestsAsInsertion(code: string, setup: TestSetup): string {
  return dedent(code)
    .replace(/^\s*\n/, '')
    .split('\n')
    .map(line => (line.trim() ? setup.indentation + line : ''))
    .join('\n');
}
