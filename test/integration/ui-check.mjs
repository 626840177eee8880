#!/usr/bin/env node
// UI check of the packaged extension, as a user sees it: installs the .vsix into a fresh code-server profile,
// points the user settings at a fake Ollama started here, opens a Python file in headless Chromium, types real
// keystrokes, waits for the ghost text in the editor DOM, presses Tab, saves, and checks the file on disk and
// what the server received. Then a multi-line suggestion from a slow stream: its first line shows while the
// rest streams, the whole body once it has arrived (no keystroke between), Tab inserts all of it. Last, the
// statistics view, read from its webview's DOM: the two accepted suggestions are counted, the charts drawn, and
// the page takes VS Code's dark colours when the theme switches; screenshots of both are kept
// (README_SCREENSHOT=media/statistics.png also copies the light one there, for the README).
// Prints "UI CHECK: PASS" and exits 0 on success.
//
// usage: node test/integration/ui-check.mjs <path/to/infill.vsix>
// env:   WORK_DIR (default: a temporary folder, removed afterwards unless KEEP_WORK=1; screenshots go there),
//        UI_TIMEOUT_MS (default 180000), plus CHROMIUM / CODE_SERVER_DIR as for run-tests.mjs
import fs from 'fs';
import os from 'os';
import path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';
import { seedStatistics } from './statistics-sample.mjs';
import { BASE_SETTINGS, codeServerCli, launchBrowser, prepareProfile, startCodeServer } from './vscode-host/run-tests.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const require = createRequire(import.meta.url);
const { startFakeOllama, OLLAMA_MODELS } = require(path.join(ROOT, 'out', 'test', 'support', 'fakeServers.js'));

const VSIX = process.argv[2] && path.resolve(process.argv[2]);
if (!VSIX || !fs.existsSync(VSIX)) { console.error(`ui-check: give the path of an existing .vsix (got ${VSIX})`); process.exit(2); }
const WORK = path.resolve(process.env.WORK_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'infill-ui-')));
const COMPLETION = 'a + b';

const t0 = Date.now();
const log = (...a) => console.log(`ui-check [${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const shot = name => path.join(WORK, name);

let server, browser, ollama, ok = false;
const killTimer = setTimeout(() => {
  console.log('UI CHECK: FAIL (timeout)');
  cleanup().then(() => process.exit(124));
}, Number(process.env.UI_TIMEOUT_MS || 180000));

async function cleanup() {
  try { await browser?.close(); } catch { /* already gone */ }
  await server?.stop();
  await ollama?.close();
  if (server) fs.writeFileSync(path.join(WORK, 'code-server.log'), server.log());
}

/** Types a command's title into the command palette (F1), leaving it selected for Enter. */
async function runCommand(page, title) {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { timeout: 10000 });
  await page.keyboard.type(title, { delay: 10 });
  await page.waitForTimeout(500);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
}

/** Opens the statistics view from the command palette and reads what its page shows (the webview's iframe DOM). */
async function checkStatisticsView(page, seeded) {
  await page.setViewportSize({ width: 1440, height: 1250 });
  await runCommand(page, 'Infill: Show Statistics');
  let frame;
  for (let i = 0; i < 150 && !frame; i++) {
    for (const f of page.frames()) {
      if (await f.$('#infill-stats[aria-busy="false"]').catch(() => null)) frame = f;
    }
    if (!frame) await page.waitForTimeout(200);
  }
  if (!frame) { log('statistics view: no rendered page found'); return false; }
  const seen = await frame.evaluate(() => ({
    stats: Object.fromEntries([...document.querySelectorAll('[data-stat]')].map(e => [e.dataset.stat, e.textContent])),
    canvases: [...document.querySelectorAll('canvas')].filter(c => c.width > 0 && c.height > 0).map(c => c.id),
    advice: [...document.querySelectorAll('#advice li')].map(li => li.textContent),
  }));
  log('statistics view:', JSON.stringify({ ...seen.stats, storage: undefined }), `${seen.canvases.length} charts, ${seen.advice.length} advice`);
  await page.waitForTimeout(300);
  const editorPart = await page.$('.part.editor');
  await page.screenshot({ path: shot('statistics.png'), ...(editorPart ? { clip: await editorPart.boundingBox() } : {}) });
  if (process.env.README_SCREENSHOT) fs.copyFileSync(shot('statistics.png'), path.resolve(process.env.README_SCREENSHOT));
  // The page follows VS Code's theme: switch to a dark one and it redraws in its colours.
  const look = () => frame.evaluate(() => ({ body: document.body.className, text: getComputedStyle(document.querySelector('.tile .value')).color }));
  const light = await look();
  await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  let dark = light;
  for (let i = 0; i < 50 && !/vscode-dark/.test(dark.body); i++) { await page.waitForTimeout(200); dark = await look(); }
  await page.waitForTimeout(500);
  await page.screenshot({ path: shot('statistics-dark.png'), ...(editorPart ? { clip: await editorPart.boundingBox() } : {}) });
  const themed = /vscode-light/.test(light.body) && /vscode-dark/.test(dark.body) && light.text !== dark.text;
  log('statistics view themes:', JSON.stringify({ light, dark }));
  const number = text => Number(String(text).replace(/,/g, ''));
  const ok = number(seen.stats.acceptedWhole) === seeded.acceptedWhole + 2
    && String(seen.stats.period).startsWith(seeded.from)
    && seen.canvases.length === 4
    && seen.advice.some(text => text.includes('infill.'))
    && themed;
  if (!ok) log('statistics check failed', JSON.stringify({ expectedAccepted: seeded.acceptedWhole + 2, from: seeded.from }));
  return ok;
}

try {
  ollama = await startFakeOllama({ models: [OLLAMA_MODELS.qwenBase], respond: () => COMPLETION, chunkChars: 2, chunkDelayMs: 10 });
  fs.rmSync(path.join(WORK, 'profile'), { recursive: true, force: true });
  const profile = prepareProfile(path.join(WORK, 'profile'), {
    ...BASE_SETTINGS,
    'infill.endpoint': ollama.url,
    'infill.model': OLLAMA_MODELS.qwenBase.name,
  });
  const ws = path.join(WORK, 'ws');
  fs.rmSync(ws, { recursive: true, force: true });
  fs.mkdirSync(ws, { recursive: true });
  const file = path.join(ws, 'calc.py');
  fs.writeFileSync(file, 'def add(a: int, b: int) -> int:\n');

  // The record a user would have after two weeks (the view then has something to draw); this run adds to it.
  const seeded = seedStatistics(path.join(profile.userDataDir, 'User', 'globalStorage', 'infill.infill'), path.join(ROOT, 'out'));
  const out = await codeServerCli(profile, ['--install-extension', VSIX]);
  log('install:', out.trim().split('\n').pop());
  server = await startCodeServer(profile);
  log('code-server up on', server.url);
  browser = await launchBrowser(profile);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(ws)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  log('workbench up');
  await page.click('.explorer-folders-view .monaco-list-row[aria-label*="calc.py"], .explorer-folders-view .monaco-list-row >> text=calc.py', { timeout: 60000 });
  await page.waitForSelector('.editor-instance .monaco-editor .view-lines', { timeout: 20000 });
  // Typing before activation gives no ghost text: wait for Infill's status bar item.
  await page.waitForSelector('.statusbar-item[aria-label^="Infill"], .statusbar-item:has-text("Infill")', { timeout: 60000 });
  log('extension active (status bar item shown)');
  /** Tab, Ctrl+S, then the file as saved once it holds `expected` (or after 10 s). */
  const acceptAndSave = async (expected) => {
    await page.keyboard.press('Tab');
    await page.waitForTimeout(300);
    await page.keyboard.press('Control+S');
    let text = '';
    for (let i = 0; i < 40 && !text.includes(expected); i++) { await page.waitForTimeout(250); text = fs.readFileSync(file, 'utf8'); }
    return text;
  };
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('    return ', { delay: 40 });
  let ghostText = '';
  for (let attempt = 0; attempt < 2 && !ghostText.includes(COMPLETION); attempt++) {
    if (attempt > 0) {
      log('no ghost text after typing; triggering explicitly (Alt+\\)');
      await page.keyboard.press('Alt+Backslash');
    }
    try {
      await page.waitForSelector('.ghost-text-decoration, .ghost-text', { timeout: 10000 });
      await page.waitForTimeout(300);
      ghostText = await page.evaluate(() => Array.from(document.querySelectorAll('.ghost-text-decoration, .ghost-text')).map(e => e.textContent).join('').replace(/\u00a0/g, ' '));
      if (!ghostText.includes(COMPLETION)) log('ghost text so far:', JSON.stringify(ghostText));
    } catch { /* retried once, explicitly */ }
  }
  log('ghost text:', JSON.stringify(ghostText));
  await page.screenshot({ path: shot('ghost-text.png') });
  const disk = await acceptAndSave(`return ${COMPLETION}`);
  await page.screenshot({ path: shot('accepted.png') });
  log('file on disk:', JSON.stringify(disk));
  const prompts = ollama.requestsTo('/api/generate').map(r => String(r.body.prompt ?? ''));
  // The cursor line's typed text goes after the middle token (src/prompt/buildRequest.ts withPrompt).
  const asked = prompts.find(p => p.includes('def add(a: int, b: int) -> int:\n<|fim_suffix|>') && p.endsWith('<|fim_middle|>    return '));
  log(`server: ${prompts.length} generation request(s); the one for the hole: ${JSON.stringify(asked)}`);
  const firstOk = ghostText.includes(COMPLETION)
    && disk === `def add(a: int, b: int) -> int:\n    return ${COMPLETION}`
    && asked !== undefined;

  // 2. A multi-line suggestion from a slow stream: its first line shows while the rest streams, and the whole
  // body shows once it has arrived, with no keystroke in between (the extension asks VS Code to show it).
  const BODY = 'total = 0\n    for x in xs:\n        total += x\n    return total\n\n';
  ollama.set({ respond: () => BODY, chunkChars: 2, chunkDelayMs: 80 });
  const ghost = () => page.evaluate(() => Array.from(document.querySelectorAll('.ghost-text-decoration, .ghost-text')).map(e => e.textContent).join('').replace(/\u00a0/g, ' '));
  const asks = () => ollama.requestsTo('/api/generate').length;
  const asksBefore = asks();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  // VS Code keeps the body's indentation on the new line: back to column 0 for a top-level function.
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('def total(xs: list) -> int:', { delay: 20 });
  await page.keyboard.press('Enter'); // VS Code indents the body line: an automatic multi-line request
  let askedAt = 0;
  for (let i = 0; i < 100 && !askedAt; i++) { await page.waitForTimeout(100); if (asks() > asksBefore) askedAt = Date.now(); }
  await page.waitForTimeout(Math.max(0, askedAt + 1200 - Date.now()));
  const early = askedAt ? await ghost() : '';
  log('multi-line ghost text while streaming:', JSON.stringify(early));
  await page.waitForTimeout(3500);
  const whole = await ghost();
  log('multi-line ghost text after the stream ended:', JSON.stringify(whole));
  await page.screenshot({ path: shot('multi-line.png') });
  const disk2 = await acceptAndSave('return total');
  log('file on disk:', JSON.stringify(disk2));
  const multiOk = askedAt > 0
    && early.includes('total = 0') && !early.includes('return total')
    && whole.includes('total += x') && whole.includes('return total')
    && disk2.endsWith('def total(xs: list) -> int:\n    total = 0\n    for x in xs:\n        total += x\n    return total');
  if (!multiOk) log('multi-line check failed', JSON.stringify({ asked: askedAt > 0, requests: asks() - asksBefore }));

  // 3. "Infill: Show Statistics": the webview's own DOM shows the sample record seeded before start plus the two
  // suggestions accepted above; the charts are drawn; a screenshot of the view is kept.
  const statsOk = await checkStatisticsView(page, seeded);
  ok = firstOk && multiOk && statsOk;
} catch (e) {
  console.log(String(e?.stack || e).split('\n').slice(0, 6).join('\n'));
  if (browser) for (const p of browser.contexts().flatMap(c => c.pages())) await p.screenshot({ path: shot('ui-failure.png') }).catch(() => {});
} finally {
  await cleanup();
  clearTimeout(killTimer);
}
log('screenshots in', WORK);
console.log(ok ? 'UI CHECK: PASS' : 'UI CHECK: FAIL');
if (!process.env.WORK_DIR && !process.env.KEEP_WORK && ok) fs.rmSync(WORK, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
