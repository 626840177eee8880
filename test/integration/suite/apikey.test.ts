// The API key for OpenAI-compatible servers lives in VS Code's SecretStorage: "Infill: Set API Key" stores it,
// requests to the configured endpoint carry it as a Bearer token, it never appears in any settings, and an
// empty key removes it. A missing or wrong key is one clear status message.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeServer } from '../../support/fakeServers';
import {
  activateExtension, closeAllEditors, fakeServers, moveCursor, openFile, setUserSettings, testState, triggerAndAccept, typeText, waitFor, waitForErrorStatus, workspaceRoot,
} from './helpers';

describe('API key in secret storage (OpenAI-compatible server)', function () {
  let openai: FakeServer;
  const KEY = 'sk-infill-test-7f3a9c';
  const MODEL = 'qwen2.5-coder-1.5b';
  const COMPLETION = 'name.strip()';

  before(async () => {
    await activateExtension();
    const { startFakeOpenAI } = fakeServers();
    openai = await startFakeOpenAI({ models: [{ name: MODEL }], apiKey: KEY, respond: () => COMPLETION });
    await setUserSettings({ backend: 'openai', endpoint: openai.url, model: MODEL });
  });

  after(async () => {
    await vscode.commands.executeCommand('infill.setApiKey', '');
    await setUserSettings({ backend: 'ollama', endpoint: undefined, model: undefined });
    await closeAllEditors();
    await openai?.close();
  });

  it('without a key: one clear authentication error, nothing inserted', async () => {
    const editor = await openFile('src/greet.py');
    moveCursor(editor, 3, 0);
    await typeText(editor, '\ndef clean(name: str) -> str:\n    return ');
    const before = editor.document.getText();
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    const status = await waitForErrorStatus('an authentication error');
    assert.match(status.reason ?? '', /API key|401|unauthori[sz]ed/i);
    assert.strictEqual(editor.document.getText(), before);
  });

  it('with the key from infill.setApiKey: requests carry it and completion works', async () => {
    await vscode.commands.executeCommand('infill.setApiKey', KEY);
    const editor = vscode.window.activeTextEditor!;
    await typeText(editor, ' ');
    await editor.edit(b => b.delete(new vscode.Range(editor.selection.active.translate(0, -1), editor.selection.active)));
    const text = await triggerAndAccept(editor, COMPLETION);
    assert.ok(text.includes(`    return ${COMPLETION}`));
    const completions = openai.requestsTo('/v1/completions');
    const last = completions[completions.length - 1];
    assert.strictEqual(last.headers.authorization, `Bearer ${KEY}`);

    // Nowhere in the settings: user, workspace, or the workspace file on disk.
    const infill = vscode.workspace.getConfiguration('infill');
    for (const key of Object.keys(infill)) {
      const inspected = infill.inspect(key);
      assert.ok(!JSON.stringify(inspected ?? {}).includes(KEY), `infill.${key} does not hold the key`);
    }
    const wsSettings = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceRoot(), '.vscode', 'settings.json'));
    assert.ok(!new TextDecoder().decode(wsSettings).includes(KEY));
    const { log } = await testState();
    assert.ok(log.every(line => !line.includes(KEY)), 'the key is never logged');
  });

  it('an empty key removes it', async () => {
    await vscode.commands.executeCommand('infill.setApiKey', '');
    const editor = vscode.window.activeTextEditor!;
    await typeText(editor, '\n    x = ');
    const seen = openai.requests.length;
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await waitFor('a new request', () => openai.requests.length > seen, 10_000);
    const fresh = openai.requests.slice(seen);
    assert.ok(fresh.every(r => r.headers.authorization === undefined), 'no Authorization header once the key is removed');
  });
});
