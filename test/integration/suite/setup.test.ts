// "Infill: Check Setup" in a real VS Code: a missing model is reported and pulled through Ollama's /api/pull
// stream (the progress notification runs), then the check times a FIM request; a chat-only model gets one clear
// message and never puts chat text into the editor.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { SetupReport } from '../../../src/pipeline/setupCheck';
import type { FakeServer } from '../../support/fakeServers';
import {
  activateExtension, closeAllEditors, fakeServers, generationRequests, moveCursor, openFile, setUserSettings, sleep, testState, typeText, waitForErrorStatus,
} from './helpers';

describe('check setup', function () {
  let ollama: FakeServer;

  before(async () => {
    await activateExtension();
    const { startFakeOllama, OLLAMA_MODELS } = fakeServers();
    ollama = await startFakeOllama({
      models: [OLLAMA_MODELS.llamaChat],
      respond: () => 'fib(n - 1) + fib(n - 2)',
      pullSteps: 5,
      chunkDelayMs: 5,
    });
    await setUserSettings({ backend: 'ollama', endpoint: ollama.url, model: OLLAMA_MODELS.qwenBase.name });
  });

  after(async () => {
    await closeAllEditors();
    await ollama?.close();
  });

  it('reports a missing model, pulls it with progress, then times a FIM request', async () => {
    const missing = await vscode.commands.executeCommand<SetupReport>('infill.checkSetup', { quiet: true });
    assert.ok(missing, 'the command returns its report');
    assert.strictEqual(missing.ok, false);
    assert.strictEqual(missing.modelMissing, true);
    assert.match(missing.summary, /qwen2\.5-coder:1\.5b-base/);
    assert.strictEqual(ollama.requestsTo('/api/pull').length, 0, 'nothing is pulled without asking');

    const pulled = await vscode.commands.executeCommand<SetupReport>('infill.checkSetup', { quiet: true, pull: true });
    assert.ok(pulled);
    assert.strictEqual(ollama.requestsTo('/api/pull').length, 1, 'one pull request');
    const pullBody = ollama.requestsTo('/api/pull')[0].body;
    assert.strictEqual(pullBody.model ?? pullBody.name, 'qwen2.5-coder:1.5b-base');
    assert.strictEqual(pulled.ok, true, pulled.summary);
    assert.ok(pulled.timing && pulled.timing.totalMs >= 0, 'the FIM request was timed');
    assert.match(pulled.summary, /fills in the middle/);
    const { log } = await testState();
    assert.ok(log.some(line => /pull qwen2\.5-coder:1\.5b-base: pulling 111111111111/.test(line)), 'pull progress was followed');
    assert.ok(log.some(line => /Pulled qwen2\.5-coder:1\.5b-base/.test(line)));
  });

  it('names the problem for a chat-only model and inserts nothing', async () => {
    await setUserSettings({ model: 'llama3.2:1b' });
    const report = await vscode.commands.executeCommand<SetupReport>('infill.checkSetup', { quiet: true });
    assert.ok(report);
    assert.strictEqual(report.ok, false);
    assert.strictEqual(report.modelMissing, false);
    assert.match(report.summary, /llama3\.2:1b/);

    const editor = await openFile('src/greet.py');
    moveCursor(editor, 3, 0);
    await typeText(editor, '\ndef wave() -> str:\n    return ');
    const before = editor.document.getText();
    const generated = generationRequests(ollama).length;
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    const failed = await waitForErrorStatus('the status bar to show the chat-only error');
    assert.match(failed.reason ?? '', /llama3\.2:1b/);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    await sleep(200);
    assert.strictEqual(editor.document.getText(), before, 'no text was inserted');
    assert.strictEqual(generationRequests(ollama).length, generated, 'no generation request for a chat-only model');
  });
});
