// The user's controls in a real VS Code: disable globally, disable for a language, snooze, and files that must
// never be completed or sent (infill.exclude, secret files). In each case the server receives nothing.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeServer } from '../../support/fakeServers';
import {
  activateExtension, closeAllEditors, fakeServers, generationRequests, moveCursor, openFile, setUserSettings, sleep,
  testState, triggerAndAccept, typeText, waitFor, workspaceRoot,
} from './helpers';

/** Triggers ghost text and checks that no request reached the server and nothing was inserted. */
async function expectNoCompletion(server: FakeServer, editor: vscode.TextEditor): Promise<void> {
  // Requests typed before the switch may still be on their way: wait until the server has been quiet a while.
  await settle(server);
  const before = editor.document.getText();
  const requests = generationRequests(server).length;
  for (let i = 0; i < 2; i++) {
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await sleep(400);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
  }
  assert.strictEqual(editor.document.getText(), before, 'nothing inserted');
  assert.strictEqual(generationRequests(server).length, requests, 'no request sent');
}

async function settle(server: FakeServer, quietMs = 600): Promise<void> {
  let count = -1;
  while (count !== server.requests.length) {
    count = server.requests.length;
    await sleep(quietMs);
  }
}

describe('controls', function () {
  let ollama: FakeServer;
  const COMPLETION = 'name.title()';

  before(async () => {
    await activateExtension();
    const { startFakeOllama, OLLAMA_MODELS } = fakeServers();
    ollama = await startFakeOllama({ models: [OLLAMA_MODELS.qwenBase], respond: () => COMPLETION });
    await setUserSettings({ backend: 'ollama', endpoint: ollama.url, model: OLLAMA_MODELS.qwenBase.name, enabled: true, exclude: [] });
  });

  after(async () => {
    await setUserSettings({ enabled: true, exclude: [], disabledLanguages: undefined });
    await closeAllEditors();
    await ollama?.close();
  });

  it('infill.toggle turns completions off and on (user setting)', async () => {
    const editor = await openFile('src/greet.py');
    moveCursor(editor, 3, 0);
    await typeText(editor, '\ndef cap(name: str) -> str:\n    return ');

    await vscode.commands.executeCommand('infill.toggle');
    await waitFor('completions to be off', async () => (await testState()).status.kind === 'disabled');
    assert.strictEqual(vscode.workspace.getConfiguration('infill').inspect('enabled')?.globalValue, false);
    await expectNoCompletion(ollama, editor);

    await vscode.commands.executeCommand('infill.toggle');
    await waitFor('completions to be on', async () => (await testState()).config.enabled);
    await typeText(editor, ' ');
    await editor.edit(b => b.delete(new vscode.Range(editor.selection.active.translate(0, -1), editor.selection.active)));
    const text = await triggerAndAccept(editor, COMPLETION);
    assert.ok(text.includes(`    return ${COMPLETION}`));
  });

  it('infill.toggleLanguage turns completions off for the current language only', async () => {
    const editor = await openFile('src/greet.py');
    await vscode.commands.executeCommand('infill.toggleLanguage');
    await waitFor('python to be off', async () => (await testState()).config.disabledLanguages.includes('python'));
    const { status } = await testState();
    assert.strictEqual(status.kind, 'disabled');
    // The language's display name, as VS Code shows it (its first alias), not the id.
    assert.match(status.reason ?? '', /off for Python files/);
    assert.match(status.tooltip, /Off for Python files|off for Python files/);
    moveCursor(editor, editor.document.lineCount - 1, 0);
    await typeText(editor, '\ndef nod() -> None:\n    ');
    await expectNoCompletion(ollama, editor);

    await vscode.commands.executeCommand('infill.toggleLanguage');
    await waitFor('python to be on again', async () => !(await testState()).config.disabledLanguages.includes('python'));
  });

  it('infill.snooze pauses completions for 15 minutes, and a second snooze resumes', async () => {
    const editor = await openFile('src/shapes.ts');
    await vscode.commands.executeCommand('infill.snooze');
    const { status } = await testState();
    assert.strictEqual(status.kind, 'snoozed');
    assert.match(status.text, /Infill 15m/);
    moveCursor(editor, editor.document.lineCount - 1, 0);
    await typeText(editor, '\nexport const UNIT = ');
    await expectNoCompletion(ollama, editor);
    await vscode.commands.executeCommand('infill.snooze');
    assert.notStrictEqual((await testState()).status.kind, 'snoozed');
  });

  it('never completes in excluded or secret files', async () => {
    const root = workspaceRoot();
    const write = (rel: string, text: string) => vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, rel), new TextEncoder().encode(text));
    await write('private/notes.py', 'token = "abc"\n');
    await write('.env', 'API_TOKEN=\n');
    await setUserSettings({ exclude: ['private/**'] });

    const excluded = await openFile('private/notes.py');
    moveCursor(excluded, 1, 0);
    await typeText(excluded, 'def leak():\n    return ');
    await expectNoCompletion(ollama, excluded);

    const secret = await openFile('.env');
    moveCursor(secret, 0, 'API_TOKEN='.length);
    await expectNoCompletion(ollama, secret);
    assert.ok(ollama.requests.every(r => !String(r.rawBody).includes('API_TOKEN') && !String(r.rawBody).includes('token = "abc"')),
      'no request carried the excluded files, not even as context');
  });
});
