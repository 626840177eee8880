// JavaScript and TypeScript: the runner from the existing test file, then the nearest package.json (scripts.test,
// dependencies, config files); the test file goes where the project keeps its tests (beside the source,
// __tests__, or a test folder mirroring src/), with an ESM or CommonJS import of the symbol.
import type { CommandLanguage } from '../languageRules';
import type { FrameworkChoice, TestFramework, TestSetup, TestTarget, WorkspaceReader } from './types';
import {
  appendedSetup, findFiles, findUpward, firstExisting, importAfterLastImport, joinPath, newFileSetup, posix, splitPath,
} from './workspace';
import { escapeRegExp } from '../text';

interface PackageJson {
  type?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface NearestPackage {
  dir: string;
  json: PackageJson;
}

export async function jsSetup(wfs: WorkspaceReader, target: TestTarget, language: CommandLanguage): Promise<TestSetup> {
  const { dir, stem, ext } = splitPath(target.sourcePath);
  const pkg = await nearestPackageJson(wfs, dir);
  const pkgDir = pkg?.dir ?? '';
  const inPkg = pkgDir ? dir.slice(pkgDir.length).replace(/^\//, '') : dir;
  const mirrored = inPkg.replace(/^(src|lib)(\/|$)/, '');
  const existing = await firstExisting(wfs, [...new Set(jsCandidates({ dir, stem, ext, pkgDir, mirrored }))]);
  const { framework, evidence } = await jsFramework(wfs, pkg, existing?.content);
  const testFilePath = existing?.path ?? (await jsNewTestPath(wfs, { dir, stem, ext, pkgDir, mirrored, framework }));
  const found = { framework, evidence, testFilePath };

  const esm = language !== 'javascript' || ext === '.mjs' || (ext !== '.cjs' && (pkg?.json.type === 'module' || /^\s*(import|export)\s/m.test(target.sourceText)));
  const importName = target.symbol.container ?? target.symbol.name;
  let specifier = posix.relative(splitPath(testFilePath).dir || '.', joinPath(dir, stem));
  if (!specifier.startsWith('.')) specifier = './' + specifier;
  if (language === 'javascript' && esm) specifier += ext === '.jsx' ? '.js' : ext;
  const importSymbol = esm ? `import { ${importName} } from '${specifier}';` : `const { ${importName} } = require('${specifier}');`;

  if (existing) {
    const content = existing.content;
    const imported = new RegExp(`\\b${escapeRegExp(importName)}\\b[^\\n]*(from|require)`).test(content);
    const addImport = imported ? undefined : importAfterLastImport(content, importSymbol, /^(import\s|(const|let|var)\s.*\brequire\()/);
    return appendedSetup({ ...found, content, blankLines: 1, addImport });
  }
  const header = [...runnerImports(framework, esm, language), importSymbol].join('\n');
  return newFileSetup({ ...found, scaffoldBefore: header + '\n\n', scaffoldAfter: '\n', indentation: '' });
}

/** The imports a new test file needs for its runner's functions and assertions. */
function runnerImports(framework: TestFramework, esm: boolean, language: CommandLanguage): string[] {
  const assertImport = esm
    ? language === 'javascript' ? "import assert from 'node:assert/strict';" : "import * as assert from 'node:assert/strict';"
    : "const assert = require('node:assert/strict');";
  switch (framework) {
    case 'vitest':
      return esm ? ["import { describe, it, expect } from 'vitest';"] : ["const { describe, it, expect } = require('vitest');"];
    case 'mocha':
      return [assertImport];
    case 'node:test':
      return [esm ? "import { describe, it } from 'node:test';" : "const { describe, it } = require('node:test');", assertImport];
    default:
      return [];
  }
}

/** Where an existing test file for the source may be. */
function jsCandidates(o: { dir: string; stem: string; ext: string; pkgDir: string; mirrored: string }): string[] {
  const exts = o.ext === '.tsx' ? ['.tsx', '.ts'] : o.ext === '.jsx' ? ['.jsx', '.js'] : [o.ext];
  const candidates: string[] = [];
  for (const e of exts) {
    for (const kind of ['test', 'spec']) {
      candidates.push(joinPath(o.dir, `${o.stem}.${kind}${e}`), joinPath(o.dir, '__tests__', `${o.stem}.${kind}${e}`));
      for (const root of ['test', 'tests', '__tests__']) {
        candidates.push(joinPath(o.pkgDir, root, o.mirrored, `${o.stem}.${kind}${e}`), joinPath(o.pkgDir, root, `${o.stem}.${kind}${e}`));
      }
    }
    candidates.push(joinPath(o.dir, '__tests__', `${o.stem}${e}`), joinPath(o.pkgDir, 'test', o.mirrored, `${o.stem}${e}`));
  }
  return candidates;
}

async function nearestPackageJson(wfs: WorkspaceReader, dir: string): Promise<NearestPackage | undefined> {
  const found = await findUpward(wfs, dir, 'package.json');
  if (!found) return undefined;
  try {
    return { dir: found.dir, json: JSON.parse(found.content) as PackageJson };
  } catch {
    return { dir: found.dir, json: {} };
  }
}

async function jsFramework(wfs: WorkspaceReader, pkg: NearestPackage | undefined, existing: string | undefined): Promise<FrameworkChoice> {
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

async function jsNewTestPath(
  wfs: WorkspaceReader,
  o: { dir: string; stem: string; ext: string; pkgDir: string; mirrored: string; framework: TestFramework },
): Promise<string> {
  const siblings = (await wfs.readDir(o.dir)) ?? [];
  const besideKind = siblings.find(e => /\.(test|spec)\.[cm]?[jt]sx?$/.test(e))?.match(/\.(test|spec)\./)?.[1];
  if (besideKind) return joinPath(o.dir, `${o.stem}.${besideKind}${o.ext}`);
  const inTestsDir = siblings.includes('__tests__/') ? (await wfs.readDir(joinPath(o.dir, '__tests__'))) ?? [] : undefined;
  if (inTestsDir) {
    const kind = inTestsDir.find(e => /\.(test|spec)\./.test(e))?.match(/\.(test|spec)\./)?.[1] ?? 'test';
    return joinPath(o.dir, '__tests__', `${o.stem}.${kind}${o.ext}`);
  }
  for (const root of ['test', 'tests', '__tests__']) {
    const rootDir = joinPath(o.pkgDir, root);
    const files = await findFiles(wfs, rootDir, n => /\.[cm]?[jt]sx?$/.test(n), 5, 50);
    if (files.length) {
      const kind = files.find(f => /\.(test|spec)\./.test(f))?.match(/\.(test|spec)\./)?.[1];
      return joinPath(rootDir, o.mirrored, kind ? `${o.stem}.${kind}${o.ext}` : `${o.stem}.test${o.ext}`);
    }
  }
  // Mocha looks in ./test by default; jest, vitest and node:test find *.test.* files anywhere.
  if (o.framework === 'mocha') return joinPath(o.pkgDir, 'test', o.mirrored, `${o.stem}.test${o.ext}`);
  return joinPath(o.dir, `${o.stem}.test${o.ext}`);
}
