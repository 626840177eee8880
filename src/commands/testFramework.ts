// Which test framework a project uses and where the tests for a given source file live (or should live),
// judged from the workspace the way a colleague would: the existing test file first, then the project's other
// tests and its manifest (requirements/pyproject, package.json, go.mod, pom.xml/build.gradle, Cargo.toml).
// Pure logic over a tiny file-system interface, so it runs in unit tests against fixture folders.
import * as path from 'path';
import * as fs from 'fs';
import type { CodeSymbol } from './symbols';
import { commandLanguage, type CommandLanguage } from './languageRules';

/** Read-only view of a workspace. Paths are workspace-relative with '/' separators; '' is the root. */
export interface WorkspaceFs {
  /** The file's text, or undefined when it does not exist. */
  readFile(relativePath: string): Promise<string | undefined>;
  /** Entry names of a directory (sub-directories end with '/'), or undefined when it does not exist. */
  readDir(relativePath: string): Promise<string[] | undefined>;
}

export type TestFramework = 'pytest' | 'unittest' | 'jest' | 'vitest' | 'mocha' | 'node:test' | 'go' | 'junit4' | 'junit5' | 'cargo';

export interface TestSetup {
  framework: TestFramework;
  /** What made us decide, for the log ("package.json scripts.test runs vitest"). */
  evidence: string;
  /** Workspace-relative path of the test file (existing, or to create). */
  testFilePath: string;
  exists: boolean;
  /** The tests go into the source file itself (Rust `#[cfg(test)] mod tests`). */
  sameFile: boolean;
  /** Current text of the test file ('' when it is to be created): imports and style for the prompt. */
  existingContent: string;
  /** Offset in `existingContent` where the new tests go. */
  insertAt: number;
  /** Text placed before and after the generated tests at `insertAt` (imports of a new file, a class, a mod). */
  scaffoldBefore: string;
  scaffoldAfter: string;
  /** Indentation of the generated tests (inside a test class or module). */
  indentation: string;
  /** An import of the symbol an existing test file lacks, placed after its last import (same undo step). */
  addImport?: { insertAt: number; text: string };
}

export interface TestTarget {
  /** Workspace-relative path of the source file. */
  sourcePath: string;
  languageId: string;
  sourceText: string;
  symbol: Pick<CodeSymbol, 'name' | 'kind' | 'container'>;
}

/** A WorkspaceFs over a real folder (tests, CLI). */
export function nodeWorkspaceFs(root: string): WorkspaceFs {
  return {
    async readFile(rel) {
      try {
        return await fs.promises.readFile(path.join(root, rel), 'utf8');
      } catch {
        return undefined;
      }
    },
    async readDir(rel) {
      try {
        const entries = await fs.promises.readdir(path.join(root, rel), { withFileTypes: true });
        return entries.map(e => (e.isDirectory() ? e.name + '/' : e.name));
      } catch {
        return undefined;
      }
    },
  };
}

export async function detectTestSetup(wfs: WorkspaceFs, target: TestTarget): Promise<TestSetup | undefined> {
  const language = commandLanguage(target.languageId);
  switch (language) {
    case 'python':
      return pythonSetup(wfs, target);
    case 'javascript':
    case 'typescript':
    case 'tsx':
      return jsSetup(wfs, target, language);
    case 'go':
      return goSetup(wfs, target);
    case 'java':
      return javaSetup(wfs, target);
    case 'rust':
      return rustSetup(wfs, target);
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------- helpers

const posix = path.posix;

function split(rel: string): { dir: string; base: string; stem: string; ext: string } {
  const dir = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
  const base = posix.basename(rel);
  const ext = posix.extname(base);
  return { dir, base, stem: base.slice(0, base.length - ext.length), ext };
}

function join(...parts: string[]): string {
  return posix.join(...parts.filter(Boolean));
}

async function firstExisting(wfs: WorkspaceFs, candidates: string[]): Promise<{ path: string; content: string } | undefined> {
  for (const candidate of candidates) {
    const content = await wfs.readFile(candidate);
    if (content !== undefined) return { path: candidate, content };
  }
  return undefined;
}

async function dirExists(wfs: WorkspaceFs, dir: string): Promise<boolean> {
  return (await wfs.readDir(dir)) !== undefined;
}

/** Files under `dir` matching `accept`, breadth-first, skipping vendored folders; bounded so huge trees stay cheap. */
async function findFiles(wfs: WorkspaceFs, dir: string, accept: (name: string) => boolean, limit = 20, maxDirs = 200): Promise<string[]> {
  const found: string[] = [];
  const queue = [dir];
  let visited = 0;
  while (queue.length && found.length < limit && visited < maxDirs) {
    const current = queue.shift()!;
    visited++;
    const entries = await wfs.readDir(current);
    if (!entries) continue;
    for (const entry of entries.sort()) {
      if (entry.endsWith('/')) {
        const name = entry.slice(0, -1);
        if (!/^(node_modules|\.git|target|dist|build|out|vendor|\.venv|venv|__pycache__|\..*)$/.test(name)) queue.push(join(current, name));
      } else if (accept(entry)) {
        found.push(join(current, entry));
        if (found.length >= limit) break;
      }
    }
  }
  return found;
}

/** Where to add at the end of a file: after its text, separated by `blankLines` empty lines. */
function appendAtEnd(content: string, blankLines: number): { insertAt: number; separator: string; after: string } {
  const trimmed = content.replace(/\s+$/, '');
  // The file's own final line break (if any) stays after the new tests.
  const after = content.slice(trimmed.length).includes('\n') ? '' : '\n';
  if (!trimmed) return { insertAt: 0, separator: '', after };
  return { insertAt: trimmed.length, separator: '\n'.repeat(blankLines + 1), after };
}

function base(
  framework: TestFramework,
  evidence: string,
  testFilePath: string,
  exists: boolean,
  existingContent: string,
  insertAt: number,
  scaffoldBefore: string,
  scaffoldAfter: string,
  indentation: string,
  addImport?: { insertAt: number; text: string },
): TestSetup {
  return { framework, evidence, testFilePath, exists, sameFile: false, existingContent, insertAt, scaffoldBefore, scaffoldAfter, indentation, ...(addImport ? { addImport } : {}) };
}

/**
 * Where a new import line goes in an existing file: after the last top-level import statement (multi-line
 * imports included), else at the top.
 */
function importAfterLastImport(content: string, line: string, isImport: RegExp): { insertAt: number; text: string } {
  const lines = content.split('\n');
  let last = -1;
  const open = (l: string) => (l.match(/[({]/g)?.length ?? 0) - (l.match(/[)}]/g)?.length ?? 0);
  for (let i = 0; i < lines.length; i++) {
    if (!isImport.test(lines[i])) continue;
    let j = i;
    let depth = open(lines[i]);
    while (depth > 0 && j + 1 < lines.length) depth += open(lines[++j]);
    last = j;
    i = j;
  }
  if (last === -1) return { insertAt: 0, text: line + '\n\n' };
  const insertAt = lines.slice(0, last + 1).join('\n').length + 1;
  if (insertAt > content.length) return { insertAt: content.length, text: '\n' + line + '\n' };
  return { insertAt, text: line + '\n' };
}

// ---------------------------------------------------------------------------------------------- Python

async function pythonSetup(wfs: WorkspaceFs, target: TestTarget): Promise<TestSetup> {
  const { dir, stem } = split(target.sourcePath);
  const underSrc = dir === 'src' || dir.startsWith('src/') ? dir.replace(/^src\/?/, '') : dir;
  const name = `test_${stem}.py`;
  const candidates = [
    join('tests', underSrc, name),
    join('tests', name),
    join('test', underSrc, name),
    join('test', name),
    join(dir, name),
    join(dir, 'tests', name),
    join(dir, `${stem}_test.py`),
    join('tests', `${stem}_test.py`),
  ];
  const existing = await firstExisting(wfs, [...new Set(candidates)]);

  let testFilePath: string;
  if (existing) testFilePath = existing.path;
  else if (await dirExists(wfs, 'tests')) testFilePath = (await dirExists(wfs, join('tests', underSrc))) ? join('tests', underSrc, name) : join('tests', name);
  else if (await dirExists(wfs, 'test')) testFilePath = join('test', name);
  else if ((await wfs.readDir(dir))?.some(e => /^test_.*\.py$/.test(e))) testFilePath = join(dir, name);
  else testFilePath = join('tests', name);

  const { framework, evidence } = await pythonFramework(wfs, existing?.content);
  const content = existing?.content ?? '';
  const importLine = `from ${pythonModule(target.sourcePath, testFilePath)} import ${target.symbol.container ?? target.symbol.name}`;

  if (!existing) {
    if (framework === 'unittest') {
      const className = `Test${pascal(target.symbol.container ?? target.symbol.name)}`;
      return base(framework, evidence, testFilePath, false, '', 0, `import unittest\n\n${importLine}\n\n\nclass ${className}(unittest.TestCase):\n`, `\n\n\nif __name__ == "__main__":\n    unittest.main()\n`, '    ');
    }
    return base(framework, evidence, testFilePath, false, '', 0, `import pytest\n\n${importLine}\n\n\n`, '\n', '');
  }

  // Existing file: import the symbol if it is not yet, keep tests before a trailing `if __name__ == ...` block.
  const imported = new RegExp(`\\bimport\\b[^\\n]*\\b${escape(target.symbol.container ?? target.symbol.name)}\\b`).test(content);
  const addImport = imported ? undefined : importAfterLastImport(content, importLine, /^(import\s|from\s+\S+\s+import\s)/);
  const mainBlock = /^if __name__ == ['"]__main__['"]:/m.exec(content);
  if (framework === 'unittest') {
    const classEnd = lastTestCaseClassEnd(content, mainBlock?.index ?? content.length);
    if (classEnd !== undefined) return base(framework, evidence, testFilePath, true, content, classEnd, '\n\n', '', '    ', addImport);
  }
  if (mainBlock) return base(framework, evidence, testFilePath, true, content, mainBlock.index, '', '\n\n\n', '', addImport);
  const { insertAt, separator, after } = appendAtEnd(content, 2);
  return base(framework, evidence, testFilePath, true, content, insertAt, separator, after, '', addImport);
}

/** End offset of the last `class X(unittest.TestCase)` body before `limit` (end of its last non-blank line). */
function lastTestCaseClassEnd(content: string, limit: number): number | undefined {
  const classes = [...content.slice(0, limit).matchAll(/^class\s+\w+\s*\([^)]*TestCase[^)]*\)\s*:/gm)];
  const last = classes[classes.length - 1];
  if (!last) return undefined;
  // The class ends where a non-blank line starts at column 0 (or at `limit`).
  const after = content.slice(last.index!, limit);
  const next = /\n(?=[^\s#])/.exec(after.slice(last[0].length));
  const classText = next ? after.slice(0, last[0].length + next.index) : after;
  return last.index! + classText.replace(/\s+$/, '').length;
}

async function pythonFramework(wfs: WorkspaceFs, existing: string | undefined): Promise<{ framework: TestFramework; evidence: string }> {
  if (existing !== undefined) {
    if (/unittest\.TestCase|^\s*class\s+\w+\s*\(\s*TestCase\s*\)/m.test(existing)) return { framework: 'unittest', evidence: 'the test file uses unittest.TestCase' };
    if (/^\s*(import pytest|from pytest\b)|^def test_/m.test(existing)) return { framework: 'pytest', evidence: 'the test file uses pytest' };
  }
  for (const file of ['pytest.ini', 'conftest.py', 'tests/conftest.py', 'test/conftest.py']) {
    if ((await wfs.readFile(file)) !== undefined) return { framework: 'pytest', evidence: `${file} exists` };
  }
  for (const file of ['pyproject.toml', 'setup.cfg', 'tox.ini', 'requirements.txt', 'requirements-dev.txt', 'dev-requirements.txt', 'requirements/dev.txt', 'requirements/test.txt', 'setup.py', 'Pipfile']) {
    const text = await wfs.readFile(file);
    if (text && /\bpytest\b/.test(text)) return { framework: 'pytest', evidence: `${file} mentions pytest` };
  }
  const others = [...(await findFiles(wfs, 'tests', n => /^test.*\.py$|_test\.py$/.test(n), 5)), ...(await findFiles(wfs, 'test', n => /^test.*\.py$|_test\.py$/.test(n), 5))];
  for (const file of others) {
    const text = (await wfs.readFile(file)) ?? '';
    if (/^\s*(import pytest|from pytest\b)/m.test(text)) return { framework: 'pytest', evidence: `${file} imports pytest` };
    if (/^\s*(import unittest|from unittest\b)/m.test(text)) return { framework: 'unittest', evidence: `${file} imports unittest` };
  }
  return { framework: 'pytest', evidence: 'no test setup found; pytest is the default' };
}

/** Dotted module path for an import from the test file ("src/pkg/dates.py" -> "pkg.dates"). */
function pythonModule(sourcePath: string, testFilePath: string): string {
  const { dir, stem } = split(sourcePath);
  if (dir === split(testFilePath).dir) return stem;
  const parts = (dir ? dir.split('/') : []).concat(stem === '__init__' ? [] : [stem]);
  if (parts[0] === 'src') parts.shift();
  return parts.join('.') || stem;
}

function pascal(name: string): string {
  return name.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------- JavaScript / TypeScript

interface PackageJson {
  type?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

async function nearestPackageJson(wfs: WorkspaceFs, dir: string): Promise<{ dir: string; json: PackageJson } | undefined> {
  for (let d = dir; ; d = d.includes('/') ? posix.dirname(d) : '') {
    const text = await wfs.readFile(join(d, 'package.json'));
    if (text !== undefined) {
      try {
        return { dir: d, json: JSON.parse(text) as PackageJson };
      } catch {
        return { dir: d, json: {} };
      }
    }
    if (!d) return undefined;
  }
}

async function jsFramework(wfs: WorkspaceFs, pkg: { dir: string; json: PackageJson } | undefined, existing: string | undefined): Promise<{ framework: TestFramework; evidence: string }> {
  if (existing !== undefined) {
    if (/from ['"]vitest['"]|require\(['"]vitest['"]\)/.test(existing)) return { framework: 'vitest', evidence: 'the test file imports vitest' };
    if (/from ['"]node:test['"]|require\(['"]node:test['"]\)/.test(existing)) return { framework: 'node:test', evidence: 'the test file imports node:test' };
    if (/from ['"]@jest\/globals['"]|\bjest\.(fn|mock|spyOn)\b/.test(existing)) return { framework: 'jest', evidence: 'the test file uses jest' };
  }
  const json = pkg?.json ?? {};
  const script = json.scripts?.test ?? '';
  if (/\bvitest\b/.test(script)) return { framework: 'vitest', evidence: 'package.json scripts.test runs vitest' };
  if (/\bjest\b/.test(script)) return { framework: 'jest', evidence: 'package.json scripts.test runs jest' };
  if (/\bmocha\b/.test(script)) return { framework: 'mocha', evidence: 'package.json scripts.test runs mocha' };
  if (/\bnode\b[^&|;]*\s--test\b/.test(script)) return { framework: 'node:test', evidence: 'package.json scripts.test runs node --test' };
  const deps = { ...json.dependencies, ...json.devDependencies };
  if (deps.vitest) return { framework: 'vitest', evidence: 'vitest is a dependency in package.json' };
  if (deps.jest || deps['ts-jest'] || deps['@jest/globals'] || deps['babel-jest']) return { framework: 'jest', evidence: 'jest is a dependency in package.json' };
  if (deps.mocha) return { framework: 'mocha', evidence: 'mocha is a dependency in package.json' };
  const root = (await wfs.readDir(pkg?.dir ?? '')) ?? [];
  if (root.some(e => /^vitest\.config\./.test(e))) return { framework: 'vitest', evidence: 'a vitest.config file exists' };
  if (root.some(e => /^jest\.config\./.test(e))) return { framework: 'jest', evidence: 'a jest.config file exists' };
  if (root.some(e => /^\.mocharc/.test(e))) return { framework: 'mocha', evidence: 'a .mocharc file exists' };
  return { framework: 'node:test', evidence: 'no test runner found in package.json; node:test is built in' };
}

async function jsSetup(wfs: WorkspaceFs, target: TestTarget, language: CommandLanguage): Promise<TestSetup> {
  const { dir, stem, ext } = split(target.sourcePath);
  const pkg = await nearestPackageJson(wfs, dir);
  const pkgDir = pkg?.dir ?? '';
  const inPkg = pkgDir ? dir.slice(pkgDir.length).replace(/^\//, '') : dir;
  const mirrored = inPkg.replace(/^(src|lib)(\/|$)/, '');
  const exts = ext === '.tsx' ? ['.tsx', '.ts'] : ext === '.jsx' ? ['.jsx', '.js'] : [ext];
  const candidates: string[] = [];
  for (const e of exts) {
    for (const kind of ['test', 'spec']) {
      candidates.push(join(dir, `${stem}.${kind}${e}`), join(dir, '__tests__', `${stem}.${kind}${e}`));
      for (const root of ['test', 'tests', '__tests__']) {
        candidates.push(join(pkgDir, root, mirrored, `${stem}.${kind}${e}`), join(pkgDir, root, `${stem}.${kind}${e}`));
      }
    }
    candidates.push(join(dir, '__tests__', `${stem}${e}`), join(pkgDir, 'test', mirrored, `${stem}${e}`));
  }
  const existing = await firstExisting(wfs, [...new Set(candidates)]);
  const { framework, evidence } = await jsFramework(wfs, pkg, existing?.content);

  let testFilePath: string;
  if (existing) testFilePath = existing.path;
  else testFilePath = await jsNewTestPath(wfs, { dir, stem, ext, pkgDir, mirrored, framework });

  const esm = language !== 'javascript' || ext === '.mjs' || (ext !== '.cjs' && (pkg?.json.type === 'module' || /^\s*(import|export)\s/m.test(target.sourceText)));
  const importName = target.symbol.container ?? target.symbol.name;
  let specifier = posix.relative(split(testFilePath).dir || '.', join(dir, stem));
  if (!specifier.startsWith('.')) specifier = './' + specifier;
  if (language === 'javascript' && esm) specifier += ext === '.jsx' ? '.js' : ext;
  const importSymbol = esm ? `import { ${importName} } from '${specifier}';` : `const { ${importName} } = require('${specifier}');`;

  if (existing) {
    const content = existing.content;
    const imported = new RegExp(`\\b${escape(importName)}\\b[^\\n]*(from|require)`).test(content);
    const addImport = imported ? undefined : importAfterLastImport(content, importSymbol, /^(import\s|(const|let|var)\s.*\brequire\()/);
    const { insertAt, separator, after } = appendAtEnd(content, 1);
    return base(framework, evidence, testFilePath, true, content, insertAt, separator, after, '', addImport);
  }
  const runnerImports: Record<string, string[]> = {
    vitest: esm ? ["import { describe, it, expect } from 'vitest';"] : ["const { describe, it, expect } = require('vitest');"],
    jest: [],
    mocha: esm ? [language === 'javascript' ? "import assert from 'node:assert/strict';" : "import * as assert from 'node:assert/strict';"] : ["const assert = require('node:assert/strict');"],
    'node:test': esm
      ? ["import { describe, it } from 'node:test';", language === 'javascript' ? "import assert from 'node:assert/strict';" : "import * as assert from 'node:assert/strict';"]
      : ["const { describe, it } = require('node:test');", "const assert = require('node:assert/strict');"],
  };
  const header = [...(runnerImports[framework] ?? []), importSymbol].join('\n');
  return base(framework, evidence, testFilePath, false, '', 0, header + '\n\n', '\n', '');
}

async function jsNewTestPath(
  wfs: WorkspaceFs,
  o: { dir: string; stem: string; ext: string; pkgDir: string; mirrored: string; framework: TestFramework },
): Promise<string> {
  const siblings = (await wfs.readDir(o.dir)) ?? [];
  const besideKind = siblings.find(e => /\.(test|spec)\.[cm]?[jt]sx?$/.test(e))?.match(/\.(test|spec)\./)?.[1];
  if (besideKind) return join(o.dir, `${o.stem}.${besideKind}${o.ext}`);
  const inTestsDir = siblings.includes('__tests__/') ? (await wfs.readDir(join(o.dir, '__tests__'))) ?? [] : undefined;
  if (inTestsDir) {
    const kind = inTestsDir.find(e => /\.(test|spec)\./.test(e))?.match(/\.(test|spec)\./)?.[1] ?? 'test';
    return join(o.dir, '__tests__', `${o.stem}.${kind}${o.ext}`);
  }
  for (const root of ['test', 'tests', '__tests__']) {
    const rootDir = join(o.pkgDir, root);
    const files = await findFiles(wfs, rootDir, n => /\.[cm]?[jt]sx?$/.test(n), 5, 50);
    if (files.length) {
      const kind = files.find(f => /\.(test|spec)\./.test(f))?.match(/\.(test|spec)\./)?.[1];
      return join(rootDir, o.mirrored, kind ? `${o.stem}.${kind}${o.ext}` : `${o.stem}.test${o.ext}`);
    }
  }
  // Mocha looks in ./test by default; jest, vitest and node:test find *.test.* files anywhere.
  if (o.framework === 'mocha') return join(o.pkgDir, 'test', o.mirrored, `${o.stem}.test${o.ext}`);
  return join(o.dir, `${o.stem}.test${o.ext}`);
}

// ---------------------------------------------------------------------------------------------- Go

async function goSetup(wfs: WorkspaceFs, target: TestTarget): Promise<TestSetup> {
  const { dir, stem } = split(target.sourcePath);
  const testFilePath = join(dir, `${stem.replace(/_test$/, '')}_test.go`);
  const content = await wfs.readFile(testFilePath);
  const siblings = (await wfs.readDir(dir)) ?? [];
  const evidence = content !== undefined
    ? `${testFilePath} exists`
    : siblings.some(e => e.endsWith('_test.go'))
      ? 'other _test.go files beside the source'
      : (await findGoMod(wfs, dir)) ?? 'Go files are tested with go test';
  if (content !== undefined) {
    const { insertAt, separator, after } = appendAtEnd(content, 1);
    return base('go', evidence, testFilePath, true, content, insertAt, separator, after, '');
  }
  const pkg = /^\s*package\s+(\w+)/m.exec(target.sourceText)?.[1] ?? (posix.basename(dir) || 'main');
  return base('go', evidence, testFilePath, false, '', 0, `package ${pkg}\n\nimport "testing"\n\n`, '\n', '');
}

async function findGoMod(wfs: WorkspaceFs, dir: string): Promise<string | undefined> {
  for (let d = dir; ; d = d.includes('/') ? posix.dirname(d) : '') {
    if ((await wfs.readFile(join(d, 'go.mod'))) !== undefined) return `${join(d, 'go.mod')} exists`;
    if (!d) return undefined;
  }
}

// ---------------------------------------------------------------------------------------------- Java

async function javaSetup(wfs: WorkspaceFs, target: TestTarget): Promise<TestSetup> {
  const { dir, stem } = split(target.sourcePath);
  const testClass = `${stem}Test`;
  const mainMarker = /(^|\/)src\/main\/java(\/|$)/;
  const testDir = mainMarker.test(dir) ? dir.replace(mainMarker, '$1src/test/java$2') : dir;
  const testFilePath = join(testDir, `${testClass}.java`);
  const content = await wfs.readFile(testFilePath);
  const projectRoot = mainMarker.test(dir) ? dir.slice(0, dir.search(mainMarker) + (dir.match(mainMarker)![1] ? 1 : 0)).replace(/\/$/, '') : '';
  const { framework, evidence } = await junitVersion(wfs, content, projectRoot, testDir);

  if (content !== undefined) {
    // Before the closing brace of the (last) top-level class.
    const close = content.replace(/\s+$/, '').lastIndexOf('}');
    if (close !== -1) {
      const body = content.slice(0, close).replace(/\s+$/, '');
      const indent = /\n([ \t]+)\S/.exec(content)?.[1] ?? '    ';
      return base(framework, evidence, testFilePath, true, content, body.length, '\n\n', '', indent);
    }
    const { insertAt, separator, after } = appendAtEnd(content, 1);
    return base(framework, evidence, testFilePath, true, content, insertAt, separator, after, '');
  }
  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(target.sourceText)?.[1];
  const imports = framework === 'junit4'
    ? 'import org.junit.Test;\n\nimport static org.junit.Assert.*;'
    : 'import org.junit.jupiter.api.Test;\n\nimport static org.junit.jupiter.api.Assertions.*;';
  const before = `${pkg ? `package ${pkg};\n\n` : ''}${imports}\n\n${framework === 'junit4' ? 'public ' : ''}class ${testClass} {\n`;
  return base(framework, evidence, testFilePath, false, '', 0, before, '\n}\n', '    ');
}

async function junitVersion(wfs: WorkspaceFs, existing: string | undefined, projectRoot: string, testDir: string): Promise<{ framework: TestFramework; evidence: string }> {
  const fromImports = (text: string): TestFramework | undefined =>
    /import\s+(static\s+)?org\.junit\.jupiter\./.test(text) ? 'junit5' : /import\s+(static\s+)?org\.junit\.(Test|Assert|Before|After|\*)/.test(text) ? 'junit4' : undefined;
  if (existing !== undefined) {
    const v = fromImports(existing);
    if (v) return { framework: v, evidence: `the test file imports JUnit ${v === 'junit5' ? 5 : 4}` };
  }
  const testRoot = testDir.includes('src/test/java') ? testDir.slice(0, testDir.indexOf('src/test/java') + 'src/test/java'.length) : testDir;
  for (const file of await findFiles(wfs, testRoot, n => n.endsWith('.java'), 5, 100)) {
    const v = fromImports((await wfs.readFile(file)) ?? '');
    if (v) return { framework: v, evidence: `${file} imports JUnit ${v === 'junit5' ? 5 : 4}` };
  }
  for (const build of ['pom.xml', 'build.gradle', 'build.gradle.kts']) {
    const text = await wfs.readFile(join(projectRoot, build));
    if (text === undefined) continue;
    if (/junit-jupiter|org\.junit\.jupiter/.test(text)) return { framework: 'junit5', evidence: `${build} depends on JUnit 5 (junit-jupiter)` };
    if (/junit:junit|<artifactId>junit<\/artifactId>/.test(text)) return { framework: 'junit4', evidence: `${build} depends on JUnit 4` };
  }
  return { framework: 'junit5', evidence: 'no JUnit version found; JUnit 5 is the default' };
}

// ---------------------------------------------------------------------------------------------- Rust

async function rustSetup(wfs: WorkspaceFs, target: TestTarget): Promise<TestSetup> {
  const { dir, stem } = split(target.sourcePath);
  let evidence = 'Rust code is tested with cargo test';
  for (let d = dir; ; d = d.includes('/') ? posix.dirname(d) : '') {
    if ((await wfs.readFile(join(d, 'Cargo.toml'))) !== undefined) {
      evidence = `${join(d, 'Cargo.toml')} exists`;
      break;
    }
    if (!d) break;
  }
  const text = target.sourceText;
  const mod = testsModule(text);
  if (mod) {
    return { ...base('cargo', `${evidence}; the file has a #[cfg(test)] mod tests`, target.sourcePath, true, text, mod.insertAt, '\n\n', '', mod.indentation), sameFile: true };
  }
  // An integration test file named after the module is the next best home.
  const crateRoot = dir.replace(/(^|\/)src(\/.*)?$/, '$1').replace(/\/$/, '');
  const integration = join(crateRoot, 'tests', `${stem}.rs`);
  const integrationText = await wfs.readFile(integration);
  if (integrationText !== undefined) {
    const { insertAt, separator, after } = appendAtEnd(integrationText, 1);
    return base('cargo', `${evidence}; ${integration} exists`, integration, true, integrationText, insertAt, separator, after, '');
  }
  const { insertAt, separator, after } = appendAtEnd(text, 1);
  return {
    ...base('cargo', evidence, target.sourcePath, true, text, insertAt, `${separator}#[cfg(test)]\nmod tests {\n    use super::*;\n\n`, '\n}' + after, '    '),
    sameFile: true,
  };
}

/** The `mod tests { ... }` block's end (before its closing brace) and its item indentation. */
function testsModule(text: string): { insertAt: number; indentation: string } | undefined {
  const m = /^([ \t]*)mod\s+tests\s*\{/m.exec(text);
  if (!m) return undefined;
  let depth = 0;
  for (let i = m.index + m[0].length - 1; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      const body = text.slice(0, i).replace(/\s+$/, '');
      const inner = /\n([ \t]+)\S/.exec(text.slice(m.index, i))?.[1] ?? m[1] + '    ';
      return { insertAt: body.length, indentation: inner };
    }
    // Skip strings, chars and comments so their braces do not count.
    else if (c === '"') { i++; while (i < text.length && text[i] !== '"') { if (text[i] === '\\') i++; i++; } }
    else if (c === '/' && text[i + 1] === '/') { while (i < text.length && text[i] !== '\n') i++; }
  }
  return undefined;
}

export function frameworkLabel(framework: TestFramework): string {
  switch (framework) {
    case 'pytest': return 'pytest';
    case 'unittest': return 'unittest';
    case 'jest': return 'Jest';
    case 'vitest': return 'Vitest';
    case 'mocha': return 'Mocha';
    case 'node:test': return 'node:test';
    case 'go': return 'go test';
    case 'junit4': return 'JUnit 4';
    case 'junit5': return 'JUnit 5';
    case 'cargo': return 'cargo test';
  }
}
