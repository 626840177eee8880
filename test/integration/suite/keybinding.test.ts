// Alt+\ asks for a suggestion: VS Code 1.100 has no key for editor.action.inlineSuggest.trigger, Infill contributes
// one. The key is pressed for real in the workbench page (the runner's key bridge), at the end of a finished line,
// where typing alone never asks the model; the ghost text the fake server sends appears in the editor's DOM, and
// a real Tab inserts it.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeServer } from '../../support/fakeServers';
import {
  EXTENSION_ID, activateExtension, closeAllEditors, fakeServers, generationRequests, keyBridge, moveCursor,
  setUserSettings, testState, waitFor,
} from './helpers';

interface Keybinding { command: string; key: string; mac?: string; when?: string }

/** Context keys in a when-clause: identifiers, without operators, negations and literals. */
function contextKeysOf(when: string): string[] {
  return when.split(/&&|\|\|/).map(part => part.trim().replace(/^!/, '').split(/\s/)[0]).filter(Boolean);
}

describe('Alt+\\ asks for a suggestion', function () {
  let ollama: FakeServer;
  const LINE = 'export const pageSize = 20;';
  const COMPLETION = ' // items per page';

  before(async () => {
    await activateExtension();
    const { startFakeOllama, OLLAMA_MODELS } = fakeServers();
    ollama = await startFakeOllama({ models: [OLLAMA_MODELS.qwenBase], respond: () => COMPLETION });
    await setUserSettings({ backend: 'ollama', endpoint: ollama.url, model: OLLAMA_MODELS.qwenBase.name, enabled: true });
  });

  after(async () => {
    await closeAllEditors();
    await ollama?.close();
  });

  it('is contributed for editor.action.inlineSuggest.trigger, with context keys VS Code knows', async () => {
    const bindings: Keybinding[] = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.keybindings;
    const trigger = bindings.find(b => b.command === 'editor.action.inlineSuggest.trigger');
    assert.ok(trigger, 'a keybinding for editor.action.inlineSuggest.trigger');
    assert.strictEqual(trigger.key, 'alt+\\');
    const keys = contextKeysOf(trigger.when ?? '');
    assert.deepStrictEqual(keys.sort(), ['editorReadonly', 'editorTextFocus', 'inlineSuggestionVisible']);
    assert.match(trigger.when!, /!inlineSuggestionVisible/);
    assert.match(trigger.when!, /!editorReadonly/);
    // A misspelt key (e.g. "inlineSuggestionsVisible") would be silently false: check them against VS Code's own list.
    const known = new Set((await vscode.commands.executeCommand<{ key: string }[]>('getContextKeyInfo')).map(k => k.key));
    for (const key of keys) assert.ok(known.has(key), `VS Code ${vscode.version} defines the context key ${key}`);
  });

  it('pressing Alt+\\ shows ghost text from the server and Tab inserts it', async function () {
    const keys = keyBridge();
    if (!keys) return this.skip();   // INFILL_TEST_DESKTOP=1: no page to press keys in
    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: `${LINE}\n` });
    const editor = await vscode.window.showTextDocument(doc);
    moveCursor(editor, 0, LINE.length);
    const before = generationRequests(ollama).length;
    const explicitLines = async () => (await testState()).log.filter(l => l.includes('(explicit)') && l.includes(`:1:${LINE.length + 1} `));
    assert.deepStrictEqual(await explicitLines(), [], 'nothing asked for a suggestion here before the key');

    // As a user clicks into the editor before typing: keyboard focus on the editor, not a panel left by a test.
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await keys.press('Alt+Backslash');

    const ghost = await waitFor('ghost text in the editor', async () => {
      const text = await keys.ghostText();
      return text.includes(COMPLETION.trim()) ? text : '';
    }, 15_000, 200).catch(async err => {
      const state = await testState();
      throw new Error(`${err.message}; active editor ${vscode.window.activeTextEditor?.document.uri.toString()}; ` +
        `${generationRequests(ollama).length - before} generation request(s); status ${state.status.kind} ${state.status.reason ?? ''}; ` +
        `log:\n${state.log.slice(-15).join('\n')}`);
    });
    assert.ok(ghost.includes('items per page'), ghost);
    assert.ok((await explicitLines()).length >= 1, 'VS Code asked Infill explicitly (InlineCompletionTriggerKind.Invoke)');
    assert.ok(generationRequests(ollama).length > before, 'the server got a generation request');

    await keys.press('Tab');
    await waitFor('Tab to insert the suggestion', () => doc.getText() === `${LINE}${COMPLETION}\n`, 5_000);
  });
});
