// Whether `pytest`, typed at the workspace root, can import the module under test from the test file, and the
// conftest.py that makes it so when it cannot. pytest (default "prepend" import mode) puts on sys.path the
// first folder above each test file and each conftest.py that is not a package (has no __init__.py), plus the
// `pythonpath` setting of its configuration; the "importlib" mode adds only the setting. The workspace root
// itself is not on sys.path (only `python -m pytest` adds the current folder).
import type { SupportFile, WorkspaceReader } from './types';
import { joinPath, posix, splitPath } from './workspace';

interface PytestConfig {
  /** Folders from the `pythonpath` setting, workspace-relative ('' is the root). */
  pythonpath: string[];
  importlib: boolean;
}

/** pytest's configuration at the root: the first file that has a pytest section, as pytest looks for them. */
export async function pytestConfig(wfs: WorkspaceReader): Promise<PytestConfig> {
  const sections: Array<[string, RegExp]> = [
    ['pytest.ini', /^\[pytest\]/m],
    ['pyproject.toml', /^\[tool\.pytest\.ini_options\]/m],
    ['tox.ini', /^\[pytest\]/m],
    ['setup.cfg', /^\[tool:pytest\]/m],
  ];
  for (const [file, header] of sections) {
    const text = await wfs.readFile(file);
    const start = text === undefined ? -1 : text.search(header);
    if (text === undefined || start === -1) continue;
    const rest = text.slice(start).split('\n').slice(1).join('\n');
    const section = rest.slice(0, rest.search(/^\[/m) === -1 ? rest.length : rest.search(/^\[/m));
    return { pythonpath: settingList(section, 'pythonpath'), importlib: /--import-mode[= ]importlib/.test(section) };
  }
  return { pythonpath: [], importlib: false };
}

/** A list setting in ini (`key = a b`, continued on indented lines) or TOML (`key = ["a", "b"]`) form. */
function settingList(section: string, key: string): string[] {
  const m = new RegExp(`^${key}\\s*=\\s*((?:\\[[^\\]]*\\])|[^\\n]*(?:\\n[ \\t]+[^\\n]*)*)`, 'm').exec(section);
  if (!m) return [];
  const raw = m[1].startsWith('[') ? [...m[1].matchAll(/["']([^"']*)["']/g)].map(x => x[1]) : m[1].split(/\s+/);
  return raw.filter(Boolean).map(p => posix.normalize(p).replace(/^\.\/?$/, '').replace(/^\.\//, '').replace(/\/$/, ''));
}

/** The folder pytest puts on sys.path for a file in `dir`: the first one up that is not a package. */
async function packageBase(wfs: WorkspaceReader, dir: string): Promise<string | undefined> {
  for (let d = dir; ; d = d.includes('/') ? posix.dirname(d) : '') {
    if ((await wfs.readFile(joinPath(d, '__init__.py'))) === undefined) return d;
    // A package at the root: pytest goes above the workspace.
    if (!d) return undefined;
  }
}

/** Folders (workspace-relative) on sys.path while `pytest` runs the test file from the workspace root. */
export async function pytestSysPath(wfs: WorkspaceReader, testFilePath: string, config: PytestConfig): Promise<string[]> {
  const roots = [...config.pythonpath];
  if (config.importlib) return roots;
  const testDir = splitPath(testFilePath).dir;
  const dirs = [''];
  for (const part of testDir ? testDir.split('/') : []) dirs.push(joinPath(dirs[dirs.length - 1], part));
  for (const d of dirs) {
    if (d !== testDir && (await wfs.readFile(joinPath(d, 'conftest.py'))) === undefined) continue;
    const base = await packageBase(wfs, d);
    if (base !== undefined) roots.push(base);
  }
  return roots;
}

/** The folder that must be on sys.path for `import module` to find `sourcePath` ("src" for src/pkg/m.py as pkg.m). */
export function importRootFor(sourcePath: string, module: string): string | undefined {
  const { dir, stem } = splitPath(sourcePath);
  const parts = (dir ? dir.split('/') : []).concat(stem === '__init__' ? [] : [stem]);
  const moduleParts = module.split('.');
  const tail = parts.slice(parts.length - moduleParts.length);
  if (tail.join('.') !== module) return undefined;
  return parts.slice(0, parts.length - moduleParts.length).join('/');
}

/**
 * A conftest.py that puts `importRoot` on sys.path, when `pytest` at the root would not find the module:
 * at the root when there is none there, else beside the test file. Undefined when nothing is needed (or
 * both places have one already).
 */
export async function conftestFor(wfs: WorkspaceReader, testFilePath: string, sourcePath: string, module: string): Promise<SupportFile | undefined> {
  const importRoot = importRootFor(sourcePath, module);
  if (importRoot === undefined) return undefined;
  const config = await pytestConfig(wfs);
  if ((await pytestSysPath(wfs, testFilePath, config)).includes(importRoot)) return undefined;
  const testDir = splitPath(testFilePath).dir;
  for (const dir of [...new Set(['', testDir])]) {
    const path = joinPath(dir, 'conftest.py');
    if ((await wfs.readFile(path)) !== undefined) continue;
    const relative = posix.relative(dir || '.', importRoot || '.');
    const target = ['os.path.dirname(os.path.abspath(__file__))', ...(relative ? relative.split('/').map(p => JSON.stringify(p)) : [])];
    const folder = importRoot ? `${importRoot}/` : 'the project root';
    return {
      path,
      reason: `pytest run from the workspace root would not find ${module} (${folder} is not on sys.path)`,
      content: [
        `# Lets \`pytest\`, run from the project root, import the code under test: puts ${folder} on sys.path.`,
        '# (pytest loads conftest.py files before it collects the tests.)',
        'import os',
        'import sys',
        '',
        `sys.path.insert(0, ${target.length > 1 ? `os.path.join(${target.join(', ')})` : target[0]})`,
        '',
      ].join('\n'),
    };
  }
  return undefined;
}
