// Related-file context in a real VS Code: a definition from an imported file and code from another open tab reach
// the prompt the fake Ollama receives; a secret file open in a tab, and a gitignored import, never do; and no
// completion is asked for inside an excluded file.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeServer } from '../../support/fakeServers';
import {
  activateExtension, closeAllEditors, fakeServers, generationRequests, moveCursor, openFile, setUserSettings, sleep,
  testState, triggerAndAccept, waitFor, workspaceRoot,
} from './helpers';

const FAKE_SECRET = 'FAKE-INTEGRATION-SECRET-7f3a9c';

async function writeWorkspaceFile(relativePath: string, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(workspaceRoot(), relativePath), new TextEncoder().encode(text));
}

/** Opens a file as a real (non-preview) tab, so it stays open while other files are opened. */
async function openTab(relativePath: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), relativePath));
  await vscode.window.showTextDocument(doc, { preview: false });
}

describe('related-file context reaches the prompt', function () {
  let ollama: FakeServer;
  const COMPLETION = 'quokkaTabHelper(total);';

  before(async () => {
    await activateExtension();
    await writeWorkspaceFile('src/ctx/ledger.ts', [
      '/** Sums ledger entries, skipping voided ones. */',
      'export function reconcileLedgerZebra(entries: number[]): number {',
      '  return entries.filter(e => !Number.isNaN(e)).reduce((a, b) => a + b, 0);',
      '}',
      '',
      'export function unusedLedgerHelperWombat(): number {',
      '  return 0;',
      '}',
      '',
    ].join('\n'));
    await writeWorkspaceFile('src/ctx/tabonly.ts', [
      'export function quokkaTabHelper(total: number): string {',
      '  return `total: ${total.toFixed(2)}`;',
      '}',
      '',
    ].join('\n'));
    await writeWorkspaceFile('src/ctx/.gitignore', 'generated/\n');
    await writeWorkspaceFile('src/ctx/generated/rates.ts', 'export function generatedRateIbis(): number {\n  return 1;\n}\n');
    await writeWorkspaceFile('.env', `API_TOKEN=${FAKE_SECRET}\n`);
    await writeWorkspaceFile('src/ctx/main.ts', [
      "import { reconcileLedgerZebra } from './ledger';",
      "import { generatedRateIbis } from './generated/rates';",
      '',
      '// The total is shown with quokkaTabHelper(total).',
      'export function settle(entries: number[]): string {',
      '  const total = reconcileLedgerZebra(entries) * generatedRateIbis();',
      '  return ',
      '}',
      '',
    ].join('\n'));
    // Let the extension see the new .gitignore (its file watcher reloads the exclusions).
    await sleep(1500);

    const { startFakeOllama, OLLAMA_MODELS } = fakeServers();
    ollama = await startFakeOllama({ models: [OLLAMA_MODELS.qwenBase], respond: () => COMPLETION, chunkChars: 4 });
    await setUserSettings({ backend: 'ollama', endpoint: ollama.url, model: OLLAMA_MODELS.qwenBase.name, enabled: true, contextEnabled: true });
  });

  after(async () => {
    await closeAllEditors();
    await ollama?.close();
  });

  it('sends the imported definition and the open tab, never the secret tab or the gitignored import', async () => {
    await openTab('src/ctx/tabonly.ts');
    await openTab('.env');
    const editor = await openFile('src/ctx/main.ts');
    // The context stage reads and parses a file's imports when its editor becomes active (requests never wait
    // past the context time budget, and reading through workspace.fs can take seconds on a loaded machine).
    await waitFor('the context stage to warm up main.ts and its imports', async () =>
      (await testState()).log.some(l => /src\/ctx\/main\.ts: \d+ imports, [1-9]\d* workspace files, [1-9]\d* definitions/.test(l)), 20_000, 200);
    moveCursor(editor, 6, '  return '.length);
    const before = generationRequests(ollama).length;

    const text = await triggerAndAccept(editor, COMPLETION);
    assert.ok(text.includes(`  return ${COMPLETION}\n}`), text);

    const sent = generationRequests(ollama).slice(before);
    assert.ok(sent.length >= 1, 'the fake Ollama received a generation request');
    const prompt = String(sent[sent.length - 1].body.prompt ?? '');
    const related = prompt.split('<|fim_prefix|>')[0];
    const log = (await testState()).log.filter(l => /context/i.test(l)).slice(-20).join('\n');
    assert.ok(related.includes('<|file_sep|>src/ctx/ledger.ts\n'), `the imported file is in the prompt:\n${related}\nlog:\n${log}`);
    assert.ok(related.includes('export function reconcileLedgerZebra(entries: number[]): number {'), `its definition:\n${related}`);
    assert.ok(!related.includes('unusedLedgerHelperWombat'), 'only the imported symbol, not the whole file');
    assert.ok(related.includes('<|file_sep|>src/ctx/tabonly.ts\n') && related.includes('export function quokkaTabHelper('),
      `the open tab is in the prompt:\n${related}`);
    for (const r of sent) {
      const all = JSON.stringify(r.body);
      assert.ok(!all.includes(FAKE_SECRET), 'the .env tab never reaches the server');
      assert.ok(!all.includes('generatedRateIbis(): number'), 'the gitignored file is never read');
    }
    assert.ok(prompt.indexOf('reconcileLedgerZebra(entries: number[])') < prompt.indexOf('<|fim_prefix|>'), 'related code comes before the hole');
  });

  it('asks for no completion inside a secret file', async () => {
    const editor = await openFile('.env');
    moveCursor(editor, 0, editor.document.lineAt(0).text.length);
    const before = generationRequests(ollama).length;
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await sleep(1200);
    await waitFor('the editor to settle', () => true);
    assert.strictEqual(generationRequests(ollama).length, before, 'no request for a .env file');
  });
});
