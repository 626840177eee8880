// Python: pytest or unittest, judged from the existing test file, the project's config files and its other
// tests; the test file goes where the project keeps its tests (tests/, test/, or beside the source).
import { conftestFor, importRootFor } from './pythonPath';
import type { FrameworkChoice, TestSetup, TestTarget, WorkspaceReader } from './types';
import {
  appendedSetup, dirExists, existingFileSetup, findFiles, firstExisting, importAfterLastImport, joinPath, newFileSetup, splitPath,
} from './workspace';
import { escapeRegExp } from '../text';

export async function pythonSetup(wfs: WorkspaceReader, target: TestTarget): Promise<TestSetup> {
  const { dir, stem } = splitPath(target.sourcePath);
  const underSrc = dir === 'src' || dir.startsWith('src/') ? dir.replace(/^src\/?/, '') : dir;
  const name = `test_${stem}.py`;
  const existing = await firstExisting(wfs, [...new Set(pythonCandidates(dir, underSrc, stem))]);
  const testFilePath = existing?.path ?? (await newPythonTestPath(wfs, dir, underSrc, name));
  const { framework, evidence } = await pythonFramework(wfs, existing?.content);
  const subject = target.symbol.container ?? target.symbol.name;
  // The project's own way to name the module (an existing test file's import of it) comes first.
  const module = (existing && moduleImportedIn(existing.content, target.sourcePath)) ?? pythonModule(target.sourcePath, testFilePath);
  const importLine = `from ${module} import ${subject}`;
  const supportFile = framework === 'pytest' ? await conftestFor(wfs, testFilePath, target.sourcePath, module) : undefined;
  const found = { framework, evidence, testFilePath, ...(supportFile ? { supportFile } : {}) };

  if (!existing) {
    if (framework === 'unittest') {
      const className = `Test${pascal(subject)}`;
      return newFileSetup({
        ...found,
        scaffoldBefore: `import unittest\n\n${importLine}\n\n\nclass ${className}(unittest.TestCase):\n`,
        scaffoldAfter: `\n\n\nif __name__ == "__main__":\n    unittest.main()\n`,
        indentation: '    ',
      });
    }
    return newFileSetup({ ...found, scaffoldBefore: `import pytest\n\n${importLine}\n\n\n`, scaffoldAfter: '\n', indentation: '' });
  }

  // Existing file: import the symbol if it is not yet, keep tests before a trailing `if __name__ == ...` block.
  const content = existing.content;
  const imported = new RegExp(`\\bimport\\b[^\\n]*\\b${escapeRegExp(subject)}\\b`).test(content);
  const addImport = imported ? undefined : importAfterLastImport(content, importLine, /^(import\s|from\s+\S+\s+import\s)/);
  const mainBlock = /^if __name__ == ['"]__main__['"]:/m.exec(content);
  if (framework === 'unittest') {
    const classEnd = lastTestCaseClassEnd(content, mainBlock?.index ?? content.length);
    if (classEnd !== undefined) {
      return existingFileSetup({ ...found, content, insertAt: classEnd, scaffoldBefore: '\n\n', scaffoldAfter: '', indentation: '    ', addImport });
    }
  }
  if (mainBlock) {
    return existingFileSetup({ ...found, content, insertAt: mainBlock.index, scaffoldBefore: '', scaffoldAfter: '\n\n\n', indentation: '', addImport });
  }
  return appendedSetup({ ...found, content, blankLines: 2, addImport });
}

/** Where an existing test file for `stem` may be, most usual first. */
function pythonCandidates(dir: string, underSrc: string, stem: string): string[] {
  const name = `test_${stem}.py`;
  return [
    joinPath('tests', underSrc, name),
    joinPath('tests', name),
    joinPath('test', underSrc, name),
    joinPath('test', name),
    joinPath(dir, name),
    joinPath(dir, 'tests', name),
    joinPath(dir, `${stem}_test.py`),
    joinPath('tests', `${stem}_test.py`),
  ];
}

async function newPythonTestPath(wfs: WorkspaceReader, dir: string, underSrc: string, name: string): Promise<string> {
  if (await dirExists(wfs, 'tests')) return (await dirExists(wfs, joinPath('tests', underSrc))) ? joinPath('tests', underSrc, name) : joinPath('tests', name);
  if (await dirExists(wfs, 'test')) return joinPath('test', name);
  if ((await wfs.readDir(dir))?.some(e => /^test_.*\.py$/.test(e))) return joinPath(dir, name);
  return joinPath('tests', name);
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

async function pythonFramework(wfs: WorkspaceReader, existing: string | undefined): Promise<FrameworkChoice> {
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
  const isTest = (n: string) => /^test.*\.py$|_test\.py$/.test(n);
  const others = [...(await findFiles(wfs, 'tests', isTest, 5)), ...(await findFiles(wfs, 'test', isTest, 5))];
  for (const file of others) {
    const text = (await wfs.readFile(file)) ?? '';
    if (/^\s*(import pytest|from pytest\b)/m.test(text)) return { framework: 'pytest', evidence: `${file} imports pytest` };
    if (/^\s*(import unittest|from unittest\b)/m.test(text)) return { framework: 'unittest', evidence: `${file} imports unittest` };
  }
  return { framework: 'pytest', evidence: 'no test setup found; pytest is the default' };
}

/** The dotted name under which a test file already imports the source module ("src.shop.pricing"), if it does. */
function moduleImportedIn(content: string, sourcePath: string): string | undefined {
  for (const m of content.matchAll(/^(?:from\s+([\w.]+)\s+import\b|import\s+([\w.]+))/gm)) {
    const module = m[1] ?? m[2];
    if (importRootFor(sourcePath, module) !== undefined) return module;
  }
  return undefined;
}

/** Dotted module path for an import from the test file ("src/pkg/dates.py" -> "pkg.dates"). */
function pythonModule(sourcePath: string, testFilePath: string): string {
  const { dir, stem } = splitPath(sourcePath);
  if (dir === splitPath(testFilePath).dir) return stem;
  const parts = (dir ? dir.split('/') : []).concat(stem === '__init__' ? [] : [stem]);
  if (parts[0] === 'src') parts.shift();
  return parts.join('.') || stem;
}

function pascal(name: string): string {
  return name.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());
}
