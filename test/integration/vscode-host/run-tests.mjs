#!/usr/bin/env node
// Copied from ../shared/vscode-host (our own script); Infill adds editor settings to BASE_SETTINGS.
// Runs an extension's test suite inside a real VS Code extension host (code-server's Node "remote"
// extension host), with the workbench UI in headless Chromium. Same contract as @vscode/test-electron:
// the module at extensionTestsPath exports `run(): Promise<void>`; a rejected promise fails the run.
//
// usage: node run-tests.mjs <extensionDevelopmentPath> <extensionTestsPath> [workspaceFolder]
// exit:  the code the workbench reports (0 = tests passed), 124 on timeout, 1 on setup errors
// env:   CODE_SERVER_ENTRY  path to code-server's out/node/entry.js, or
//        CODE_SERVER_DIR    install dir of setup-code-server.sh (default ~/.cache/vscode-host/code-server-$CS_VERSION)
//        CHROMIUM           browser binary (default /usr/bin/chromium)
//        PORT               fixed port (default: a free one)
//        TEST_TIMEOUT_MS    whole-run limit (default 300000)
//        SHOT               save a screenshot to this path when the tests finish
//        SHOW_SERVER_LOG=1  print code-server's log when the run fails
//        DEBUG_CONSOLE=1    echo the workbench's browser console
// Everything else in the environment reaches the extension host (so extensionTestsEnv works).
// Infill adds a key bridge: the extension host gets VSCODE_HOST_KEYS_URL, a loopback URL where a test presses real
// keys in the workbench page (a Playwright chord such as "Alt+Backslash") and reads the ghost text it shows; and
// VSCODE_HOST_USER_DATA_DIR, the profile's user data (User/ and Machine/ settings files).
import { chromium } from 'playwright-core';
import { spawn } from 'child_process';
import fs from 'fs'; import http from 'http'; import net from 'net'; import os from 'os'; import path from 'path';
import { fileURLToPath } from 'url';

export const CS_VERSION = process.env.CS_VERSION || '4.100.3';

export function codeServerEntry() {
  if (process.env.CODE_SERVER_ENTRY) return path.resolve(process.env.CODE_SERVER_ENTRY);
  const dir = process.env.CODE_SERVER_DIR || path.join(os.homedir(), '.cache', 'vscode-host', `code-server-${CS_VERSION}`);
  return path.join(path.resolve(dir), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

// Settings for a quiet, deterministic workbench. files.hotExit off: no unsaved buffers restored from earlier runs.
export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'files.hotExit': 'off',
  'chat.disableAIFeatures': true,
  // Infill: the word-suggest popup hides inline suggestions, so tests turn it off (see the vscode-host README).
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.wordBasedSuggestions': 'off',
  'editor.suggestOnTriggerCharacters': false,
  'editor.inlineSuggest.enabled': true,
  'files.autoSave': 'off',
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

// A fresh profile under `dir`: user data, extensions, config and XDG dirs, so nothing is read from or
// written to the real home directory.
export function prepareProfile(dir, settings = BASE_SETTINGS) {
  const p = {
    dir, userDataDir: path.join(dir, 'ud'), extensionsDir: path.join(dir, 'ext'), config: path.join(dir, 'config.yaml'),
    env: { XDG_DATA_HOME: path.join(dir, 'xdg', 'data'), XDG_CONFIG_HOME: path.join(dir, 'xdg', 'config'), XDG_CACHE_HOME: path.join(dir, 'xdg', 'cache') },
  };
  fs.mkdirSync(path.join(p.userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(p.extensionsDir, { recursive: true });
  for (const d of Object.values(p.env)) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(p.userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  return p;
}

const profileArgs = (p) => ['--config', p.config, '--user-data-dir', p.userDataDir, '--extensions-dir', p.extensionsDir];

function requireEntry() {
  const entry = codeServerEntry();
  if (!fs.existsSync(entry)) throw new Error(`code-server not found at ${entry}: run setup-code-server.sh, or set CODE_SERVER_DIR / CODE_SERVER_ENTRY`);
  return entry;
}

// A short private TMPDIR per code-server process: VS Code leaves IPC sockets there when it is killed.
const privateTmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'vsh-'));

// Runs code-server's CLI once (e.g. --install-extension) against the profile; resolves with its output.
export function codeServerCli(p, args) {
  const entry = requireEntry();
  const tmp = privateTmp();
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [entry, ...profileArgs(p), ...args], { env: { ...process.env, ...p.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = ''; c.stdout.on('data', d => out += d); c.stderr.on('data', d => out += d);
    c.on('error', reject);
    c.on('close', code => {
      fs.rmSync(tmp, { recursive: true, force: true });
      code === 0 ? resolve(out) : reject(new Error(`code-server ${args.join(' ')} exited ${code}:\n${out}`));
    });
  });
}

// Starts code-server in its own process group (so stop() also ends the extension host and its other child processes).
export async function startCodeServer(p, { env = {}, port } = {}) {
  const entry = requireEntry();
  port = port || Number(process.env.PORT) || await freePort();
  const tmp = privateTmp();
  const child = spawn(process.execPath, [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    ...profileArgs(p)], { env: { ...process.env, ...p.env, TMPDIR: tmp, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  const add = d => { log += d; if (log.length > 1e6) log = log.slice(-5e5); };
  child.stdout.on('data', add); child.stderr.on('data', add);
  let exited = false; child.on('exit', () => { exited = true; });
  const server = {
    child, port, authority: `127.0.0.1:${port}`, url: `http://127.0.0.1:${port}`, log: () => log,
    async stop() {
      const alive = () => { try { process.kill(-child.pid, 0); return true; } catch { return false; } };
      try { process.kill(-child.pid, 'SIGTERM'); } catch { fs.rmSync(tmp, { recursive: true, force: true }); return; }
      for (let i = 0; i < 50 && alive(); i++) await new Promise(r => setTimeout(r, 100));
      if (alive()) { try { process.kill(-child.pid, 'SIGKILL'); } catch {} }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${server.url}/healthz`)).ok) return server; } catch {}
    if (exited || i > 240) { await server.stop(); throw new Error(`code-server did not start:\n${log}`); }
    await new Promise(r => setTimeout(r, 250));
  }
}

// Pass the profile to keep Chromium's own config/cache files out of the home directory too.
export function launchBrowser(profile) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    env: { ...process.env, ...(profile?.env || {}) },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-crash-reporter'],
  });
}

// The extension API can neither send keystrokes nor see the editor's DOM: a test POSTs a key chord to /press and
// it is pressed in the page as a user would; GET /ghost-text returns the inline suggestion shown in the editor.
// Loopback only; 503 until the page exists.
const GHOST_TEXT = () => Array.from(document.querySelectorAll('.ghost-text-decoration, .ghost-text'))
  .map(e => e.textContent).join('').replace(/\u00a0/g, ' ');
function startKeyBridge(currentPage) {
  const server = http.createServer(async (req, res) => {
    let chord = '';
    for await (const chunk of req) chord += chunk;
    const page = currentPage();
    const press = req.method === 'POST' && req.url === '/press' && chord.trim();
    const ghost = req.method === 'GET' && req.url === '/ghost-text';
    if (!press && !ghost) { res.writeHead(400).end('POST /press with a key chord, or GET /ghost-text'); return; }
    if (!page) { res.writeHead(503).end('the workbench page is not open yet'); return; }
    try {
      if (press) { await page.keyboard.press(chord.trim()); res.writeHead(200).end('pressed'); }
      else res.writeHead(200).end(await page.evaluate(GHOST_TEXT));
    } catch (e) { res.writeHead(500).end(String(e?.message || e)); }
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() }));
  });
}

// vscode-remote://host:port/abs/path, with each path segment encoded
const remoteUri = (authority, p) => `vscode-remote://${authority}${p.split(path.sep).map(encodeURIComponent).join('/')}`;

async function main() {
  const [devPath, testsPath, wsArg] = process.argv.slice(2).map(p => p && path.resolve(p));
  if (!devPath || !testsPath) { console.error('usage: node run-tests.mjs <extensionDevelopmentPath> <extensionTestsPath> [workspaceFolder]'); process.exit(2); }
  const t0 = Date.now(); const el = () => ((Date.now() - t0) / 1000).toFixed(1) + 's';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-host-test-'));
  const ws = wsArg || fs.mkdtempSync(path.join(tmp, 'ws-'));
  let server, browser, page, keys, done = false;
  const finish = async (code, why) => {
    if (done) return; done = true;
    console.log(`[${el()}] exit ${code} (${why})`);
    if (code !== 0 && process.env.SHOW_SERVER_LOG && server) console.log(server.log());
    try { await browser?.close(); } catch {}
    keys?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(code);
  };
  setTimeout(() => finish(124, 'timeout'), Number(process.env.TEST_TIMEOUT_MS || 300000)).unref();
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => finish(130, sig));
  try {
    const profile = prepareProfile(path.join(tmp, 'profile'));
    keys = await startKeyBridge(() => page);
    server = await startCodeServer(profile, { env: { VSCODE_HOST_KEYS_URL: keys.url, VSCODE_HOST_USER_DATA_DIR: profile.userDataDir } });
    console.log(`[${el()}] code-server up on ${server.url}`);
    browser = await launchBrowser(profile);
    browser.on('disconnected', () => finish(1, 'browser disconnected'));
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('crash', () => finish(1, 'page crashed'));
    // The workbench calls these when it runs in test mode (extensionTestsPath given).
    await page.exposeFunction('codeAutomationLog', (type, args) => console.log(...args));
    await page.exposeFunction('codeAutomationExit', async (code) => {
      if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT }).catch(() => {});
      await finish(code, 'codeAutomationExit');
    });
    if (process.env.DEBUG_CONSOLE) page.on('console', m => console.log('[page]', m.text().slice(0, 300)));
    const payload = [['extensionDevelopmentPath', remoteUri(server.authority, devPath)],
                     ['extensionTestsPath', remoteUri(server.authority, testsPath)]];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    console.log(`[${el()}] workbench loading; waiting for tests`);
  } catch (e) {
    console.error(String(e?.stack || e));
    await finish(1, 'setup failed');
  }
}

const invokedDirectly = process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) main();
