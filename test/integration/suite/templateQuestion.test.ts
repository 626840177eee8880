// Issue 13 (team servers): vLLM and TGI serve a model under any id, so the FIM format cannot always be told from
// it. Then completions stop with a message naming Check Setup, Check Setup asks once (a quick pick of the
// formats), and the answer is remembered for that endpoint and model: the next check passes without asking, and
// the requests use the chosen format.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { SetupReport } from '../../../src/pipeline/setupCheck';
import { FIM_FAMILIES } from '../../../src/prompt/templates';
import type { FakeServer } from '../../support/fakeServers';
import {
  activateExtension, closeAllEditors, fakeServers, moveCursor, openFile, setUserSettings, sleep, testState, triggerAndAccept, typeText, waitFor, waitForErrorStatus,
} from './helpers';

/** The first token each format's prompt starts its fill-in-the-middle part with. */
const FIM_MARK: Record<string, RegExp> = {
  qwen: /<\|fim_prefix\|>/, starcoder: /<fim_prefix>/, codellama: /<PRE> /, deepseek: /<｜fim▁begin｜>/,
  codegemma: /<\|fim_prefix\|>/, codestral: /\[SUFFIX\]/, granite: /<fim_prefix>/,
};

describe('template question for a model id that does not tell its format (vLLM, TGI)', function () {
  let server: FakeServer;
  const MODEL = 'team/autocomplete-v3';
  const COMPLETION = 'name.upper()';

  before(async () => {
    await activateExtension();
    const { startFakeOpenAI } = fakeServers();
    server = await startFakeOpenAI({ models: [{ name: MODEL }], respond: () => COMPLETION });
    await setUserSettings({ backend: 'openai', endpoint: server.url, model: MODEL, template: 'auto' });
  });

  after(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    await setUserSettings({ backend: 'ollama', endpoint: undefined, model: undefined });
    await closeAllEditors();
    await server?.close();
  });

  it('stops with a message naming Check Setup, asks once there, then completes in the chosen format', async () => {
    const unknown = await vscode.commands.executeCommand<SetupReport>('infill.checkSetup', { quiet: true });
    assert.ok(unknown);
    assert.strictEqual(unknown.ok, false);
    assert.strictEqual(unknown.familyUnknown, true, unknown.summary);
    assert.strictEqual(server.requestsTo('/v1/completions').length, 0, 'nothing is generated in an unknown format');

    const editor = await openFile('src/greet.py');
    moveCursor(editor, 3, 0);
    await typeText(editor, '\ndef loud(name: str) -> str:\n    return ');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    const stopped = await waitForErrorStatus('the status bar to name Check Setup', /Check Setup/);
    assert.match(stopped.reason ?? '', new RegExp(MODEL.replace('/', '\\/')));

    // The user runs Check Setup from the palette: it asks with a quick pick; the first format is taken.
    const check = vscode.commands.executeCommand<SetupReport>('infill.checkSetup');
    await sleep(1500);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const chosen = FIM_FAMILIES[0];
    await waitFor('the choice to be remembered', async () => (await testState()).log.some(line => line.includes(`${MODEL} at ${server.url}: ${chosen} FIM template remembered`)), 10_000);
    // Its closing message waits for a click; it is not what this test is about.
    void check.then(undefined, () => undefined);

    const known = await vscode.commands.executeCommand<SetupReport>('infill.checkSetup', { quiet: true });
    assert.ok(known);
    assert.ok(!known.familyUnknown, 'the next check knows the format without asking');
    assert.strictEqual(known.ok, true, known.summary);

    const text = await triggerAndAccept(editor, COMPLETION);
    assert.ok(text.includes(`    return ${COMPLETION}`), text);
    const sent = server.requestsTo('/v1/completions').map(r => String(r.body.prompt));
    assert.ok(sent.length >= 1 && sent.every(p => FIM_MARK[chosen].test(p)), `every prompt in the ${chosen} format`);
  });
});
