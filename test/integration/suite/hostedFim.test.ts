// Issue 13 (servers people run): Codestral's FIM API and DeepSeek's FIM beta as first-class backends in the real
// editor. Each runs against a stand-in speaking its documented format on 127.0.0.1: the key comes from
// "Infill: Set API Key" (SecretStorage), the request goes to that API's own path with prefix and suffix as
// `prompt` and `suffix`, and the streamed text (Codestral's `delta.content` chunks, DeepSeek's `text`) is the
// ghost text that Tab inserts.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeServer } from '../../support/fakeServers';
import {
  activateExtension, closeAllEditors, moveCursor, openFile, setUserSettings, testState, triggerAndAccept, typeText, waitForErrorStatus,
} from './helpers';

/** The hosted-API stand-ins, loaded from the compiled test support like the other fake servers. */
function fakeHostedFim(): typeof import('../../support/fakeHostedFim') {
  return require(path.join(__dirname, '..', '..', 'support', 'fakeHostedFim.js'));
}

const APIS = [
  { backend: 'codestral', model: 'codestral-latest', start: 'startFakeCodestral', path: 'CODESTRAL_PATH', completion: 'name.title()' },
  { backend: 'deepseek', model: 'deepseek-chat', start: 'startFakeDeepSeek', path: 'DEEPSEEK_PATH', completion: 'name.casefold()' },
] as const;

for (const api of APIS) {
  describe(`hosted FIM backend: ${api.backend}`, function () {
    let server: FakeServer;
    const KEY = `sk-${api.backend}-test-41d2`;

    before(async () => {
      await activateExtension();
      server = await fakeHostedFim()[api.start]({ apiKey: KEY, respond: () => api.completion });
      await setUserSettings({ backend: api.backend, endpoint: server.url, model: api.model });
      await vscode.commands.executeCommand('infill.setApiKey', KEY);
    });

    after(async () => {
      await vscode.commands.executeCommand('infill.setApiKey', '');
      await setUserSettings({ backend: 'ollama', endpoint: undefined, model: undefined });
      await closeAllEditors();
      await server?.close();
    });

    it('sends prefix and suffix to the API\'s own path with the stored key, and Tab inserts the streamed text', async () => {
      const editor = await openFile('src/greet.py');
      moveCursor(editor, 3, 0);
      await typeText(editor, '\ndef shout(name: str) -> str:\n    return ');
      const text = await triggerAndAccept(editor, api.completion);
      assert.ok(text.includes(`    return ${api.completion}`), text);

      const apiPath = fakeHostedFim()[api.path];
      const sent = server.requestsTo(apiPath);
      assert.ok(sent.length >= 1, `a request to ${apiPath}`);
      assert.deepStrictEqual(server.requests.map(r => r.path).filter(p => p !== apiPath), [], 'nothing but FIM requests (no model list, no chat)');
      // The request for this cursor (a speculative one for the place after the accept may follow it).
      const asked = sent.find(r => String(r.body.prompt).endsWith('def shout(name: str) -> str:\n    return '));
      assert.ok(asked, 'the prefix is the prompt, no FIM tokens of ours');
      assert.strictEqual(typeof asked.body.suffix, 'string');
      for (const r of sent) {
        assert.strictEqual(r.headers.authorization, `Bearer ${KEY}`);
        assert.strictEqual(r.body.model, api.model);
        assert.strictEqual(r.body.stream, true);
        assert.ok(!/<\|fim|<fim_|\[SUFFIX\]/.test(String(r.body.prompt)), 'the API lays out the FIM prompt itself');
      }

      const { log } = await testState();
      assert.ok(log.every(line => !line.includes(KEY)), 'the key is never logged');
    });

    it('a wrong key is one clear status message naming the command that sets it', async () => {
      await vscode.commands.executeCommand('infill.setApiKey', 'sk-wrong');
      const editor = vscode.window.activeTextEditor!;
      await typeText(editor, '\n\ndef whisper(name: str) -> str:\n    return ');
      const before = editor.document.getText();
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      const status = await waitForErrorStatus('an authentication error');
      assert.match(status.reason ?? '', /401|API key/i);
      assert.strictEqual(editor.document.getText(), before);
    });
  });
}
