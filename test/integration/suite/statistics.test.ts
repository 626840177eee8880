// Statistics end to end in a real VS Code: ghost text from the local fake Ollama, accepted like Tab, is counted;
// "Infill: Show Statistics" opens the webview, whose page reports back what it shows, read from its own DOM;
// the export holds the count and none of the code or file names.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RenderedReport } from '../../../src/stats/viewProtocol';
import type { FakeServer } from '../../support/fakeServers';
import {
  activateExtension, closeAllEditors, fakeServers, moveCursor, openFile, setUserSettings, sleep, triggerAndAccept, typeText, waitFor,
} from './helpers';

describe('statistics', function () {
  let ollama: FakeServer;
  const COMPLETION = 'name.upper() + "!!"';

  before(async () => {
    await activateExtension();
    const { startFakeOllama, OLLAMA_MODELS } = fakeServers();
    ollama = await startFakeOllama({ models: [OLLAMA_MODELS.qwenBase], respond: () => COMPLETION, chunkChars: 4 });
    await setUserSettings({ backend: 'ollama', endpoint: ollama.url, model: OLLAMA_MODELS.qwenBase.name, enabled: true, recordStatistics: true });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await closeAllEditors();
    await ollama?.close();
  });

  /** What the statistics view shows once `check` holds (the view is asked to redraw until then). */
  async function viewShows(what: string, check: (stats: Record<string, string>) => boolean): Promise<RenderedReport> {
    let last: RenderedReport | undefined;
    await waitFor(what, async () => {
      await vscode.commands.executeCommand('infill.showStatistics');
      last = await vscode.commands.executeCommand<RenderedReport | undefined>('infill._statisticsRendered');
      return last !== undefined && check(last.stats);
    }, 20_000, 500);
    return last!;
  }

  /** Asks for ghost text (Alt+\\), then gives the fake server (if asked: the cache may answer) and VS Code time to show it. */
  async function showGhostText(): Promise<void> {
    const before = ollama.requests.length;
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    for (let i = 0; i < 20 && ollama.requests.length === before; i++) await sleep(100);
    await sleep(800);
  }

  it('counts a partial accept (next word) and a dismissal (typing something else)', async function () {
    this.timeout(60_000);
    assert.strictEqual(await vscode.commands.executeCommand('infill.clearStatistics', { confirmed: true }), true);
    let editor = await openFile('src/greet.py');
    moveCursor(editor, 3, 0);
    await typeText(editor, '\ndef loud(name: str) -> str:\n    return ');
    const cursor = editor.selection.active;
    let partial = '';
    for (let attempt = 0; attempt < 5 && !partial; attempt++) {
      await showGhostText();
      await vscode.commands.executeCommand('editor.action.inlineSuggest.acceptNextWord');
      await sleep(300);
      partial = editor.document.lineAt(cursor.line).text.slice(cursor.character);
    }
    assert.ok(partial.length > 1 && COMPLETION.startsWith(partial) && partial !== COMPLETION, `a first word accepted: ${JSON.stringify(partial)}`);
    await viewShows('the partial accept counted', stats => stats.acceptedPartly === '1');

    // A new suggestion further down, then a character it does not start with. (The view took the editor's place.)
    editor = await vscode.window.showTextDocument(editor.document);
    moveCursor(editor, cursor.line, editor.document.lineAt(cursor.line).text.length);
    await typeText(editor, '\n\ndef quiet(name: str) -> str:\n    return ');
    await showGhostText();
    await typeText(editor, 'x');
    const report = await viewShows('the dismissal counted', stats => Number(stats.dismissed) >= 1);
    assert.strictEqual(report.stats.acceptedWhole, '0');
    assert.strictEqual(report.stats.acceptedPartly, '1');
  });

  it('counts a suggestion accepted with Tab and shows it in the statistics view', async function () {
    this.timeout(60_000);
    assert.strictEqual(await vscode.commands.executeCommand('infill.clearStatistics', { confirmed: true }), true);
    const editor = await openFile('src/greet.py');
    moveCursor(editor, 3, 0);
    await typeText(editor, '\ndef cheer(name: str) -> str:\n    return ');
    await triggerAndAccept(editor, COMPLETION);

    await vscode.commands.executeCommand('infill.showStatistics');
    const report = await waitFor('the statistics view to show the accepted suggestion', async () => {
      const r = await vscode.commands.executeCommand<RenderedReport | undefined>('infill._statisticsRendered');
      // The recorder tells an open view about new events within a second; the first render may predate the accept.
      if (!r || r.stats.acceptedWhole !== '1') await vscode.commands.executeCommand('infill.showStatistics');
      return r && r.stats.acceptedWhole === '1' ? r : undefined;
    }, 20_000, 500);
    assert.ok(report);

    assert.ok(Number(report.stats.shown) >= 1, `shown: ${report.stats.shown}`);
    // The accept's own edit is recognised as the accept, not as typing that dismissed the suggestion.
    assert.strictEqual(report.stats.dismissed, '0');
    assert.match(report.stats.acceptanceRate, /^\d+%$/);
    assert.ok(Number(report.stats.requests) >= 1, `requests: ${report.stats.requests}`);
    assert.deepStrictEqual([...report.charts].sort(), ['chart-acceptance', 'chart-ghost', 'chart-languages', 'chart-speed']);
    assert.match(report.stats.storage, /statistics\.json/);
    assert.deepStrictEqual(report.cspViolations, [], 'the page runs under its content-security policy without a violation');

    // The export: the count is there; the code and the file name are not.
    const target = path.join(os.tmpdir(), `infill-stats-${process.pid}.csv`);
    try {
      assert.strictEqual(await vscode.commands.executeCommand('infill.exportStatistics', { format: 'csv', path: target }), target);
      const csv = fs.readFileSync(target, 'utf8');
      const [header, ...lines] = csv.trimEnd().split('\n');
      const columns = header.split(',');
      const python = lines.map(l => l.split(',')).find(cells => cells[columns.indexOf('language')] === 'python');
      assert.ok(python, `a python row in:\n${csv}`);
      assert.strictEqual(python[columns.indexOf('acceptedWhole')], '1');
      assert.strictEqual(Number(python[columns.indexOf('charsAccepted')]), COMPLETION.length);
      assert.ok(!csv.includes('greet') && !csv.includes('upper()') && !csv.includes('cheer'), 'no file names or code in the record');
    } finally {
      fs.rmSync(target, { force: true });
    }
  });
});
