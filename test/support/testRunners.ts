// Runs generated test files with their real frameworks (pytest, node:test), the way a user would type the
// command at the project root. Plain Node: used by the unit tests and, compiled, by the integration suite.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface RunResult {
  ok: boolean;
  output: string;
}

/**
 * The plain `pytest` command: the executable on PATH (Debian's python3-pytest installs `pytest-3`, newer ones
 * `pytest` too), else `python3 -P -m pytest` (-P keeps the current folder off sys.path, as plain `pytest` does).
 * Undefined when pytest is not installed (test/integration/run.cjs installs it with apt-get).
 */
export function findPytest(): { command: string; args: string[] } | undefined {
  const candidates: Array<{ command: string; args: string[] }> = [
    { command: 'pytest', args: [] },
    { command: 'pytest-3', args: [] },
    { command: 'python3', args: ['-P', '-m', 'pytest'] },
  ];
  return candidates.find(c => spawnSync(c.command, [...c.args, '--version'], { encoding: 'utf8' }).status === 0);
}

/** `pytest` at `root` with no arguments: it collects the tests the project's own way. */
export function runPytest(root: string, pytest = findPytest()): RunResult {
  if (!pytest) return { ok: false, output: 'pytest is not installed' };
  // No cache folder and no bytecode left in the workspace.
  const run = spawnSync(pytest.command, [...pytest.args, '-q', '-p', 'no:cacheprovider'], {
    cwd: root, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: '' }, timeout: 60_000,
  });
  return { ok: run.status === 0, output: `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}` };
}

/** `node --test` on the given files, from `cwd`. */
export function runNodeTest(cwd: string, files: string[]): RunResult {
  // In a desktop VS Code extension host process.execPath is Electron: this makes it behave as node.
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
  const run = spawnSync(process.execPath, ['--test', ...files], { cwd, encoding: 'utf8', env, timeout: 60_000 });
  return { ok: run.status === 0, output: `${run.stdout ?? ''}${run.stderr ?? ''}` };
}

/**
 * TypeScript sources to CommonJS JavaScript beside each other in `outDir` (how a TypeScript project runs its
 * node:test files: compiled first). Uses the project's own typescript package.
 */
export function transpileTypeScript(files: string[], outDir: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  fs.mkdirSync(outDir, { recursive: true });
  return files.map(file => {
    const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    }).outputText;
    const out = path.join(outDir, path.basename(file).replace(/\.tsx?$/, '.js'));
    fs.writeFileSync(out, js);
    return out;
  });
}
