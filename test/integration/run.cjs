#!/usr/bin/env node
// Runs the integration suites inside a real VS Code 1.100 extension host through @vscode/test-electron.
//
// Default route (works without a desktop VS Code download): code-server 4.100.3 (the VS Code 1.100.3 server,
// installed from npm into ~/.cache by vscode-host/setup-code-server.sh) with headless Debian Chromium; the
// "VS Code executable" handed to runTests() is vscode-host/code-shim.mjs.
// INFILL_TEST_DESKTOP=1: the normal test-electron route instead (downloads a desktop VS Code; needs a display).
//
// Prerequisites are installed when missing: chromium + ripgrep via apt-get (as root, or with password-less sudo),
// and python3-pytest (the Write Tests test runs the pytest file it generates).
// Then (code-server route) a UI check of the packaged .vsix: real keystrokes, ghost text in the editor DOM, Tab.
// env: CHROMIUM (browser binary), CODE_SERVER_DIR (code-server install dir), TEST_TIMEOUT_MS, SHOW_SERVER_LOG=1,
//      INFILL_TEST_GREP (only tests whose title matches), INFILL_SKIP_UI=1 (no UI check).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const hostDir = path.join(__dirname, 'vscode-host');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

function fail(message) {
  console.error(`integration: ${message}`);
  process.exit(1);
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** apt-get install, as root or through password-less sudo; a clear message otherwise. */
function aptInstall(packages) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const prefix = isRoot ? [] : ['sudo', '-n'];
  if (!onPath('apt-get') || (!isRoot && !onPath('sudo'))) {
    fail(`missing ${packages.join(', ')}: install them with your package manager ` +
      `(Debian/Ubuntu: sudo apt-get install -y ${packages.join(' ')}), or set CHROMIUM to a Chromium binary.`);
  }
  console.log(`integration: installing ${packages.join(', ')} with apt-get (about a minute)`);
  const run = (args) => spawnSync(prefix[0] ?? args[0], [...prefix.slice(1), ...(prefix.length ? args : args.slice(1))],
    { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (run(['apt-get', 'update', '-qq']).status !== 0 || run(['apt-get', 'install', '-y', '-qq', ...packages]).status !== 0) {
    fail(`could not install ${packages.join(', ')}; install them by hand (sudo apt-get install -y ${packages.join(' ')}).`);
  }
}

function codeServerReady() {
  const dir = process.env.CODE_SERVER_DIR || path.join(os.homedir(), '.cache', 'vscode-host', 'code-server-4.100.3');
  return fs.existsSync(path.join(dir, '.ok-4.100.3'));
}

function ensurePrerequisites() {
  const missing = [];
  if (!chromiumPath()) missing.push('chromium');
  if (!onPath('rg')) missing.push('ripgrep');
  // Building code-server's native modules (first run only) needs a C++ toolchain and python3.
  if (!codeServerReady()) {
    if (!onPath('g++')) missing.push('g++');
    if (!onPath('make')) missing.push('make');
    if (!onPath('python3')) missing.push('python3');
    const major = Number(process.versions.node.split('.')[0]);
    if (major !== 20) console.warn(`integration: code-server 4.100.3 is made for node 20; this is node ${process.versions.node}`);
  }
  if (missing.length) aptInstall(missing);
  const browser = chromiumPath();
  if (!browser) fail('chromium is still missing after installing it; set CHROMIUM to a Chromium binary.');
  process.env.CHROMIUM = browser;
  // Idempotent: returns at once when ~/.cache/vscode-host/code-server-4.100.3 is already set up.
  const setup = spawnSync('bash', [path.join(hostDir, 'setup-code-server.sh')], { stdio: 'inherit' });
  if (setup.status !== 0) fail('setting up code-server failed (see the output above); it needs node 20, npm, g++, make and python3.');
}

/** The plain `pytest` command works (the Write Tests test runs the pytest file it generates). */
function pytestAvailable() {
  return [['pytest'], ['pytest-3'], ['python3', '-P', '-m', 'pytest']]
    .some(([command, ...args]) => spawnSync(command, [...args, '--version'], { stdio: 'ignore' }).status === 0);
}

/**
 * Installs Debian's python3-pytest when no pytest is found (pip may not reach PyPI; apt does). Without apt-get
 * the pytest run is skipped with this reason; an apt-get that fails stops the run like a missing chromium does.
 */
function ensurePytest() {
  if (pytestAvailable()) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!onPath('apt-get') || (!isRoot && !onPath('sudo'))) {
    process.env.INFILL_PYTEST_MISSING = 'no pytest, and no apt-get to install python3-pytest with: install pytest to run the generated Python tests';
    console.warn(`integration: ${process.env.INFILL_PYTEST_MISSING}`);
    return;
  }
  aptInstall(['python3-pytest']);
  if (!pytestAvailable()) fail('python3-pytest was installed but neither pytest, pytest-3 nor python3 -m pytest runs.');
}

/** A fresh copy of the fixture workspace, so tests may edit files and settings freely. */
function freshWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infill-ws-'));
  fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), dir, { recursive: true });
  return dir;
}

async function main() {
  const testsModule = path.join(root, 'out', 'test', 'integration', 'index.js');
  if (!fs.existsSync(testsModule)) fail(`${testsModule} is missing: run "tsc -p ." first (npm run test:integration does).`);
  if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) fail('dist/extension.js is missing: run "npm run build" first.');
  const desktop = process.env.INFILL_TEST_DESKTOP === '1';
  if (!desktop) ensurePrerequisites();
  ensurePytest();
  const { runTests } = require('@vscode/test-electron');

  const workspace = freshWorkspace();
  const resultFile = path.join(workspace, '..', `${path.basename(workspace)}-result.txt`);
  console.log(`integration: [${elapsed()}] starting VS Code (${desktop ? 'desktop download' : 'code-server 4.100.3 + headless Chromium'})`);
  let failed = false;
  try {
    await runTests({
      ...(desktop ? { version: '1.100.3' } : { vscodeExecutablePath: path.join(hostDir, 'code-shim.mjs') }),
      extensionDevelopmentPath: root,
      extensionTestsPath: testsModule,
      launchArgs: [workspace, '--disable-extensions'],
      extensionTestsEnv: {
        INFILL_TEST: '1',
        INFILL_TEST_RESULT_FILE: resultFile,
        INFILL_TEST_ROOT: root,
        ...(process.env.INFILL_TEST_GREP ? { INFILL_TEST_GREP: process.env.INFILL_TEST_GREP } : {}),
        ...(process.env.INFILL_PYTEST_MISSING ? { INFILL_PYTEST_MISSING: process.env.INFILL_PYTEST_MISSING } : {}),
      },
    });
  } catch (err) {
    failed = true;
    console.error(`integration: runTests failed: ${err && err.message ? err.message : err}`);
  }
  const summary = fs.existsSync(resultFile) ? fs.readFileSync(resultFile, 'utf8').trim() : 'no result (the suite did not finish)';
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.rmSync(resultFile, { force: true });
  console.log(`integration: ${summary} (${elapsed()})`);

  let ui = 'skipped';
  if (!desktop && !process.env.INFILL_SKIP_UI && !process.env.INFILL_TEST_GREP) ui = uiCheck() ? 'passed' : 'failed';
  console.log(`integration: suite ${failed ? 'FAILED' : 'passed'} (${summary}); UI check ${ui}; ${elapsed()} in total`);
  // Last, the plain closing line CI reads: the suite's counts with the UI check counted as one more test.
  const [passed, failedCount, skipped] = (/(\d+) passed, (\d+) failed, (\d+) skipped/.exec(summary) ?? [0, 0, failed ? 1 : 0, 0]).slice(1).map(Number);
  const uiCounts = { passed: [1, 0, 0], failed: [0, 1, 0], skipped: [0, 0, 1] }[ui];
  console.log(`integration: ${passed + uiCounts[0]} passed, ${failedCount + uiCounts[1]} failed, ${skipped + uiCounts[2]} skipped`);
  process.exit(failed || ui === 'failed' ? 1 : 0);
}

/** Packages the extension and runs ui-check.mjs on the .vsix (real keystrokes, ghost text, Tab). */
function uiCheck() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infill-vsix-'));
  const vsix = path.join(dir, 'infill.vsix');
  try {
    console.log(`integration: [${elapsed()}] packaging the extension for the UI check`);
    const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    const pack = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix],
      { cwd: root, encoding: 'utf8' });
    if (pack.status !== 0) {
      console.error(`integration: vsce package failed:\n${pack.stdout}\n${pack.stderr}`);
      return false;
    }
    const run = spawnSync(process.execPath, [path.join(__dirname, 'ui-check.mjs'), vsix], { stdio: 'inherit' });
    return run.status === 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(err => fail(String(err && err.stack ? err.stack : err)));
