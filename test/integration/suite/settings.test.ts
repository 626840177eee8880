// Settings apply at once: a new infill.model or infill.endpoint in the user settings is used by the next request,
// with no window reload. This code-server window is a remote window: VS Code keeps these machine-scoped settings
// in the remote's settings (Machine/settings.json), and Infill reads VS Code's merged user value from there.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeServer } from '../../support/fakeServers';
import {
  activateExtension, closeAllEditors, fakeServers, generationRequests, moveCursor, sentText, setUserSettings, testState,
  triggerAndAccept, waitFor,
} from './helpers';

const QWEN = 'qwen2.5-coder:1.5b-base';
const STARCODER = 'starcoder2:3b';

/** A fresh Python document with the cursor after `return `; the fake model answers with its own name. */
async function holeEditor(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'python', content: `def ${name}() -> str:\n    return ` });
  const editor = await vscode.window.showTextDocument(doc);
  moveCursor(editor, 1, '    return '.length);
  return editor;
}

/** Sets one user setting through the plain API, as the Settings editor does, and waits until VS Code has it here. */
async function updateUserSetting(key: string, value: unknown): Promise<void> {
  const section = vscode.workspace.getConfiguration('infill');
  await section.update(key, value, vscode.ConfigurationTarget.Global);
  await waitFor(`VS Code to report infill.${key} = ${JSON.stringify(value)}`,
    () => vscode.workspace.getConfiguration('infill').inspect(key)?.globalValue === value);
}

describe('settings apply without a reload', function () {
  let ollama: FakeServer;
  let other: FakeServer;
  const answer = (_body: unknown, gen: { model: string }) => `"from ${gen.model}"`;

  before(async () => {
    await activateExtension();
    const { startFakeOllama, OLLAMA_MODELS } = fakeServers();
    ollama = await startFakeOllama({ models: [OLLAMA_MODELS.qwenBase, OLLAMA_MODELS.starcoder2], respond: answer });
    other = await startFakeOllama({ models: [OLLAMA_MODELS.qwenBase, OLLAMA_MODELS.starcoder2], respond: answer });
    await setUserSettings({ backend: 'ollama', endpoint: ollama.url, model: QWEN, enabled: true });
  });

  after(async () => {
    await setUserSettings({ backend: 'ollama', endpoint: ollama.url, model: QWEN });
    await closeAllEditors();
    await ollama?.close();
    await other?.close();
  });

  it('uses a new infill.model from the user settings on the next request', async () => {
    const first = await triggerAndAccept(await holeEditor('first'), `"from ${QWEN}"`);
    assert.ok(first.endsWith(`return "from ${QWEN}"`), first);
    await updateUserSetting('model', STARCODER);

    const second = await triggerAndAccept(await holeEditor('second'), `"from ${STARCODER}"`);
    assert.ok(second.endsWith(`return "from ${STARCODER}"`), second);
    // This document's requests only: a speculative request after the first accept (for the first document's next
    // line, asked before the change) may arrive late and rightly names the old model.
    const sent = generationRequests(ollama).filter(r => sentText(r).includes('def second()'));
    assert.ok(sent.length >= 1 && sent.every(r => r.body.model === STARCODER), `models sent: ${sent.map(r => r.body.model).join(', ')}`);
    assert.strictEqual((await testState()).config.model, STARCODER);
  });

  it('sends the next request to a new infill.endpoint', async () => {
    await updateUserSetting('endpoint', other.url);
    const text = await triggerAndAccept(await holeEditor('third'), `"from ${STARCODER}"`);
    assert.ok(text.endsWith(`return "from ${STARCODER}"`), text);
    assert.ok(generationRequests(other).length >= 1, 'the new endpoint got the request');
    // Only requests for this document count: the previous test's accept may still have a speculative request for
    // its own next line in flight to the old endpoint, which is right (it was asked before the change).
    const forThisHole = (server: FakeServer) => generationRequests(server).filter(r => sentText(r).includes('def third()'));
    assert.ok(forThisHole(other).length >= 1, 'the new endpoint got the request for this document');
    assert.strictEqual(forThisHole(ollama).length, 0, 'the old endpoint got nothing of this document');
    await updateUserSetting('endpoint', ollama.url);
  });

  it('in a remote window, a change in the user settings is kept in the remote\'s settings, and Infill reads it from there', async function () {
    const userData = process.env.VSCODE_HOST_USER_DATA_DIR;
    if (!vscode.env.remoteName || !userData) return this.skip();   // a local window (INFILL_TEST_DESKTOP=1)
    // ConfigurationTarget.Global wrote the machine-scoped model to
    // the remote's settings (code-server: <user-data-dir>/Machine/settings.json), not to the User settings file.
    const machine = JSON.parse(fs.readFileSync(path.join(userData, 'Machine', 'settings.json'), 'utf8'));
    assert.strictEqual(machine['infill.model'], STARCODER);
    const user = fs.readFileSync(path.join(userData, 'User', 'settings.json'), 'utf8');
    assert.doesNotMatch(user, /"infill\.(model|endpoint|backend)"/);
    assert.strictEqual(vscode.workspace.getConfiguration('infill').inspect('model')?.globalValue, STARCODER);
    assert.strictEqual((await testState()).config.model, STARCODER);
  });
});
