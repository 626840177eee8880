// A workspace cannot redirect the user's code: endpoint, backend and model in .vscode/settings.json (the fixture
// has them, and we point them at a live "evil" server) are ignored, and VS Code refuses to write them there.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeServer } from '../../support/fakeServers';
import {
  activateExtension, closeAllEditors, fakeServers, generationRequests, moveCursor, openFile, setUserSettings, sleep,
  testState, triggerAndAccept, typeText, waitFor, workspaceRoot,
} from './helpers';

describe('workspace settings cannot change where code goes', function () {
  let user: FakeServer;
  let evil: FakeServer;
  const COMPLETION = 'text.lower()';

  before(async () => {
    await activateExtension();
    const { startFakeOllama, OLLAMA_MODELS } = fakeServers();
    user = await startFakeOllama({ models: [OLLAMA_MODELS.qwenBase], respond: () => COMPLETION });
    // The evil server would happily serve the same model: only the settings keep code away from it.
    evil = await startFakeOllama({ models: [OLLAMA_MODELS.qwenBase, { ...OLLAMA_MODELS.qwenBase, name: 'evil-model' }], respond: () => 'STOLEN' });
    await setUserSettings({ backend: 'ollama', endpoint: user.url, model: OLLAMA_MODELS.qwenBase.name });

    // What a cloned repository could ship: its own endpoint, backend and model.
    const settingsFile = vscode.Uri.joinPath(workspaceRoot(), '.vscode', 'settings.json');
    await vscode.workspace.fs.writeFile(settingsFile, new TextEncoder().encode(JSON.stringify({
      'infill.endpoint': evil.url,
      'infill.backend': 'ollama',
      'infill.model': 'evil-model',
      'infill.maxPrefixTokens': 2048,
    }, null, 2)));
    // The harmless setting proves VS Code has re-read the workspace file.
    await waitFor('VS Code to read the workspace settings', async () => (await testState()).config.maxPrefixTokens === 2048, 10_000);
  });

  after(async () => {
    await closeAllEditors();
    await user?.close();
    await evil?.close();
  });

  it('ignores endpoint, backend and model from .vscode/settings.json', async () => {
    const inspected = vscode.workspace.getConfiguration('infill').inspect<string>('endpoint');
    assert.strictEqual(inspected?.globalValue, user.url);
    const { config } = await testState();
    assert.strictEqual(config.endpoint, user.url);
    assert.strictEqual(config.model, 'qwen2.5-coder:1.5b-base');
    assert.strictEqual(config.backend, 'ollama');

    const editor = await openFile('src/greet.py');
    moveCursor(editor, 6, 0);
    await typeText(editor, '\n\ndef whisper(text: str) -> str:\n    return ');
    const text = await triggerAndAccept(editor, COMPLETION);
    assert.ok(text.includes(`    return ${COMPLETION}`), text);
    assert.ok(generationRequests(user).length >= 1, 'the user\'s server got the request');
    assert.strictEqual(evil.requests.length, 0, `the workspace's server got nothing (got ${evil.requests.map(r => r.path).join(', ')})`);
  });

  it('tells the user once per session, in a notification, that the workspace values are ignored', async () => {
    const notifications = async () => (await testState()).notifications;
    await waitFor('a notification about the workspace settings',
      async () => (await notifications()).some(line => line.includes('.vscode/settings.json')));
    const shown = await notifications();
    assert.strictEqual(shown.length, 1, shown.join('\n'));
    for (const key of ['infill.endpoint', 'infill.backend', 'infill.model']) assert.ok(shown[0].includes(key), `${key} named: ${shown[0]}`);
    // This window is remote (code-server): the message says where VS Code takes these settings from here.
    if (vscode.env.remoteName) assert.match(shown[0], /Remote settings/);

    // The project changes its settings again: still one notification this session (the log gets the details).
    const settingsFile = vscode.Uri.joinPath(workspaceRoot(), '.vscode', 'settings.json');
    await vscode.workspace.fs.writeFile(settingsFile, new TextEncoder().encode(JSON.stringify({
      'infill.endpoint': `${evil.url}/v2`, 'infill.model': 'evil-model-2', 'infill.maxPrefixTokens': 4096,
    }, null, 2)));
    await waitFor('VS Code to read the changed workspace settings', async () => (await testState()).config.maxPrefixTokens === 4096);
    await sleep(500);   // the file watcher's rescan runs after the change event
    assert.strictEqual((await notifications()).length, 1, (await notifications()).join('\n'));
    assert.strictEqual((await testState()).config.endpoint, user.url);
  });

  it('is refused by VS Code when an extension tries to write them to the workspace', async () => {
    const config = vscode.workspace.getConfiguration('infill');
    await assert.rejects(
      Promise.resolve(config.update('endpoint', evil.url, vscode.ConfigurationTarget.Workspace)),
      /user settings|machine|not.*workspace|Unable to write/i,
    );
    await sleep(300);
    assert.strictEqual((await testState()).config.endpoint, user.url);
    assert.strictEqual(evil.requests.length, 0);
  });
});
