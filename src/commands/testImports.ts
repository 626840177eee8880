// Generated tests import exactly what they use, so the file runs with the project's plain test command: the
// runner's functions (node:test's `test`, vitest's `vi`…), `assert`, and the other functions of the module under
// test that the tests call. A new file's scaffold imports are rewritten to the names used; an existing file's
// imports get the missing names added (insertions only, so they join the tests' undo step).
import type { CodeSymbol } from './symbols';
import type { TestFramework, TestSetup } from './testFramework';
import type { TextEditPlan } from './generate';
import { importAfterLastImport } from './testFramework/workspace';
import { escapeRegExp } from './text';

/** What the runners export that tests call by name. */
const RUNNER_NAMES: Partial<Record<TestFramework, { module: string; names: string[] }>> = {
  'node:test': { module: 'node:test', names: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach', 'mock'] },
  vitest: { module: 'vitest', names: ['describe', 'it', 'test', 'suite', 'expect', 'vi', 'beforeAll', 'afterAll', 'beforeEach', 'afterEach'] },
};

export interface FinishedTests {
  /** The scaffold before the tests (a new file's imports, rewritten to what the tests use). */
  scaffoldBefore: string;
  /** Insertions into the existing file's imports, at offsets of `setup.existingContent`. */
  importEdits: TextEditPlan[];
}

/** The importable names of a module: its top-level, exported functions and classes (not nested ones). */
export function importableNames(symbols: Pick<CodeSymbol, 'name' | 'kind' | 'container' | 'exported' | 'start' | 'end'>[]): string[] {
  return symbols
    .filter(s => !s.container && s.kind !== 'method' && s.exported !== false)
    .filter(s => !symbols.some(o => o !== s && o.start <= s.start && s.end <= o.end && (o.start < s.start || s.end < o.end)))
    .map(s => s.name);
}

/** Calls (or member uses) of `name` in code: `name(`, `name.x`, not `obj.name(`. */
export function uses(code: string, name: string): boolean {
  return new RegExp(`(?<![\\w$.])${escapeRegExp(name)}\\s*[.(]`).test(code);
}

/**
 * Why the tests cannot run with the framework as they are (they call a runner function it does not have), or
 * undefined when they can.
 */
export function missingRunnerFunction(framework: TestFramework, tests: string): string | undefined {
  if ((framework === 'node:test' || framework === 'mocha') && uses(tests, 'expect')) {
    return `the tests call expect(), which ${framework} does not have (use node:assert)`;
  }
  return undefined;
}

/**
 * The scaffold and import insertions that make `tests` import what they use. `moduleNames` are the other
 * importable names of the module under test (its exported functions and classes).
 */
export function finishTestImports(setup: TestSetup, tests: string, moduleNames: string[] = []): FinishedTests {
  const isJs = setup.framework === 'node:test' || setup.framework === 'vitest' || setup.framework === 'mocha' || setup.framework === 'jest';
  const runner = RUNNER_NAMES[setup.framework];
  const usedRunner = runner ? runner.names.filter(n => uses(tests, n)) : [];
  const usedModule = moduleNames.filter(n => uses(tests, n));
  if (!setup.exists) {
    let scaffold = setup.scaffoldBefore;
    if (runner) scaffold = setImportNames(scaffold, runner.module, usedRunner);
    if (isJs) scaffold = withAssertImport(scaffold, tests);
    scaffold = addToSymbolImport(scaffold, usedModule);
    return { scaffoldBefore: scaffold, importEdits: [] };
  }
  const content = setup.existingContent;
  const importEdits: TextEditPlan[] = [];
  const insert = (edit: { insertAt: number; text: string }) => importEdits.push({ start: edit.insertAt, end: edit.insertAt, text: edit.text });
  if (runner) {
    const edit = insertNames(content, runner.module, usedRunner);
    if (edit) importEdits.push(edit);
  }
  if (isJs && usesAssert(tests) && !/^[^\n]*\bassert\b[^\n]*(from|require\()\s*['"](node:)?assert/m.test(content)) {
    const esm = /^import\s/m.test(content);
    const statement = esm ? "import * as assert from 'node:assert/strict';" : "const assert = require('node:assert/strict');";
    insert(importAfterLastImport(content, statement, /^(import\s|(const|let|var)\s.*\brequire\()/));
  }
  if (setup.addImport) {
    // The import we add anyway also lists the module's other names the tests use and the file lacks.
    insert({ insertAt: setup.addImport.insertAt, text: addToSymbolImport(setup.addImport.text, usedModule.filter(n => !importedIn(content, n))) });
  }
  return { scaffoldBefore: setup.scaffoldBefore, importEdits };
}

function usesAssert(tests: string): boolean {
  return /(?<![\w$.])assert\s*[.(]/.test(tests);
}

/** `name` appears in one of the file's import statements. */
function importedIn(content: string, name: string): boolean {
  return new RegExp(`^(import|from|const|let|var)\\b(?=[^\\n]*\\b(from|require|import)\\b)[^\\n]*\\b${escapeRegExp(name)}\\b`, 'm').test(content);
}

/** An `import { … } from 'module'` or `const { … } = require('module')` statement's braces. */
function bracesOf(text: string, module: string): { open: number; close: number; names: string[] } | undefined {
  const m = new RegExp(`^(?:import\\s*(?:type\\s*)?\\{([^}]*)\\}\\s*from\\s*|(?:const|let|var)\\s*\\{([^}]*)\\}\\s*=\\s*require\\(\\s*)['"]${escapeRegExp(module)}['"]`, 'm').exec(text);
  if (!m) return undefined;
  const open = m.index + m[0].indexOf('{');
  const close = m.index + m[0].indexOf('}');
  return { open, close, names: (m[1] ?? m[2]).split(',').map(n => n.trim()).filter(Boolean) };
}

/** A new file's runner import lists exactly `names` (the line goes when there are none). */
function setImportNames(scaffold: string, module: string, names: string[]): string {
  const braces = bracesOf(scaffold, module);
  if (!braces) return scaffold;
  if (!names.length) {
    const lineStart = scaffold.lastIndexOf('\n', braces.open) + 1;
    const lineEnd = scaffold.indexOf('\n', braces.close);
    return scaffold.slice(0, lineStart) + scaffold.slice(lineEnd + 1);
  }
  return scaffold.slice(0, braces.open + 1) + ` ${names.join(', ')} ` + scaffold.slice(braces.close);
}

/** An insertion adding the names an existing import of `module` lacks (before its closing brace). */
function insertNames(content: string, module: string, names: string[]): TextEditPlan | undefined {
  const braces = bracesOf(content, module);
  if (!braces) return undefined;
  const missing = names.filter(n => !braces.names.includes(n));
  if (!missing.length) return undefined;
  const before = content.slice(braces.open + 1, braces.close);
  const trailingComma = /,\s*$/.test(before);
  const at = braces.open + 1 + before.replace(/\s+$/, '').length;
  return { start: at, end: at, text: (trailingComma || !before.trim() ? ' ' : ', ') + missing.join(', ') };
}

/** A new JavaScript/TypeScript file imports assert when its tests use it, and not when they do not. */
function withAssertImport(scaffold: string, tests: string): string {
  const line = /^(?:import (?:\* as )?assert from|const assert = require\()[^\n]*\n/m.exec(scaffold);
  const used = usesAssert(tests);
  if (line && !used) return scaffold.slice(0, line.index) + scaffold.slice(line.index + line[0].length);
  if (!line && used) {
    const esm = /^import\s/m.test(scaffold);
    const statement = esm ? "import * as assert from 'node:assert/strict';" : "const assert = require('node:assert/strict');";
    return statement + '\n' + scaffold;
  }
  return scaffold;
}

/**
 * Adds names to the import of the symbol under test in `text`: the `from m import a` line (Python) or the
 * `import { a } from './m'` / `const { a } = require('./m')` line of a relative module (JavaScript/TypeScript).
 */
function addToSymbolImport(text: string, names: string[]): string {
  if (!names.length) return text;
  const python = /^from\s+[\w.]+\s+import\s+([\w, ]+)$/m.exec(text);
  if (python) {
    const present = python[1].split(',').map(n => n.trim());
    const missing = names.filter(n => !present.includes(n));
    if (!missing.length) return text;
    const end = python.index + python[0].length;
    return text.slice(0, end) + ', ' + missing.join(', ') + text.slice(end);
  }
  const js = /^(?:import\s*\{([^}]*)\}\s*from\s*|(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\(\s*)['"]\.{1,2}\/[^'"]*['"]/m.exec(text);
  if (!js) return text;
  const present = (js[1] ?? js[2]).split(',').map(n => n.trim());
  const missing = names.filter(n => !present.includes(n));
  if (!missing.length) return text;
  const close = js.index + js[0].indexOf('}');
  const inner = text.slice(js.index + js[0].indexOf('{') + 1, close).replace(/\s+$/, '');
  return text.slice(0, js.index + js[0].indexOf('{') + 1) + inner + ', ' + missing.join(', ') + ' ' + text.slice(close);
}
