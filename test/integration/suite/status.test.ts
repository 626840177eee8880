// The status bar tells the user when the server is down (error + reason), and recovers once it answers again.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeServer } from '../../support/fakeServers';
import {
  activateExtension, closeAllEditors, fakeServers, moveCursor, openFile, setUserSettings, testState, triggerAndAccept, typeText, waitForErrorStatus,
} from './helpers';

describe('status bar', function () {
  let server: FakeServer | undefined;

  before(async () => {
    await activateExtension();
  });

  after(async () => {
    await closeAllEditors();
    await server?.close();
  });

  it('shows an error with its reason when the server is down, and recovers when it is back', async () => {
    const { startFakeOllama, OLLAMA_MODELS } = fakeServers();
    // A port that just had a server on it: nothing listens there now (connection refused).
    const gone = await startFakeOllama();
    const deadUrl = gone.url;
    await gone.close();
    await setUserSettings({ backend: 'ollama', endpoint: deadUrl, model: OLLAMA_MODELS.qwenBase.name });

    const editor = await openFile('src/shapes.ts');
    moveCursor(editor, 8, 0);
    await typeText(editor, '\nexport const ORIGIN: Point =');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');

    const failed = await waitForErrorStatus('the status bar to show an error');
    assert.match(failed.text, /\$\(warning\) Infill/);
    assert.ok(failed.reason && failed.reason.includes(deadUrl.replace('http://', '')), `the reason names the endpoint: ${failed.reason}`);
    assert.match(failed.tooltip, /Infill error/);
    assert.strictEqual(editor.document.getText().includes('undefined'), false, 'no text inserted');

    // The server comes back (on another port): the user points Infill at it; the error clears on success.
    server = await startFakeOllama({ models: [OLLAMA_MODELS.qwenBase], respond: () => '{ x: 0, y: 0 };' });
    await setUserSettings({ endpoint: server.url });
    // The user goes on typing (VS Code does not ask again for the same text and cursor).
    await typeText(editor, ' ');
    const text = await triggerAndAccept(editor, '{ x: 0, y: 0 };');
    assert.ok(text.includes('export const ORIGIN: Point = { x: 0, y: 0 };'));
    const { status } = await testState();
    assert.notStrictEqual(status.kind, 'error', `status after recovery: ${status.kind} ${status.reason ?? ''}`);
  });
});
