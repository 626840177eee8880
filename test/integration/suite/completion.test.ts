// Ghost text end to end in a real VS Code: typing in a Python and a TypeScript file asks the local fake Ollama
// (started here, in the extension host), the suggestion appears as an inline completion, and accepting it
// (what Tab does) inserts it. The fake server's log shows what was sent.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeGeneration, FakeServer } from '../../support/fakeServers';
import {
  activateExtension, closeAllEditors, fakeServers, generationRequests, moveCursor, openFile, sentText,
  setUserSettings, testState, triggerAndAccept, typeText,
} from './helpers';

describe('ghost text from a local fake server', function () {
  let ollama: FakeServer;
  /** What the fake model answers, per language (chosen from the prompt). */
  const PY_COMPLETION = '"Goodbye, " + name';
  const TS_COMPLETION = '{ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };';

  const respondByLanguage = (_body: unknown, gen: FakeGeneration) =>
    (gen.prompt.lastIndexOf('function midpoint') > gen.prompt.lastIndexOf('def farewell') ? TS_COMPLETION : PY_COMPLETION);

  before(async () => {
    await activateExtension();
    const { startFakeOllama, OLLAMA_MODELS } = fakeServers();
    ollama = await startFakeOllama({
      models: [OLLAMA_MODELS.qwenBase, OLLAMA_MODELS.llamaChat],
      // Related files from other tabs come first in the prompt: the current file's hole is the later marker.
      respond: respondByLanguage,
      chunkChars: 3,
    });
    await setUserSettings({ backend: 'ollama', endpoint: ollama.url, model: OLLAMA_MODELS.qwenBase.name, enabled: true });
  });

  after(async () => {
    await closeAllEditors();
    await ollama?.close();
  });

  it('completes in a Python file and Tab inserts the suggestion', async () => {
    const editor = await openFile('src/greet.py');
    assert.strictEqual(editor.document.languageId, 'python');
    // At the end of greet(), a new function: the cursor sits after "return ".
    moveCursor(editor, 3, 0);
    await typeText(editor, '\ndef farewell(name: str) -> str:\n    return ');
    const cursor = editor.selection.active;
    const before = generationRequests(ollama).length;

    const text = await triggerAndAccept(editor, PY_COMPLETION);

    assert.ok(text.includes(`def farewell(name: str) -> str:\n    return ${PY_COMPLETION}\n`), `accepted text in place:\n${text}`);
    const sent = generationRequests(ollama).slice(before);
    assert.ok(sent.length >= 1, 'the fake Ollama received a generation request');
    const last = sent[sent.length - 1];
    assert.strictEqual(last.body.model, 'qwen2.5-coder:1.5b-base');
    assert.strictEqual(last.body.stream, true);
    const fim = sentText(last);
    // The prefix ends at the cursor, the suffix starts there.
    assert.ok(fim.includes('def greet(name: str) -> str:'), 'prefix carries the code above');
    assert.ok(fim.includes('def farewell(name: str) -> str:\n    return '), 'prefix ends at the cursor');
    assert.ok(fim.includes('def shout(text: str) -> str:'), 'suffix carries the code below');
    assert.ok(fim.indexOf('    return ') < fim.lastIndexOf('def shout'), 'prefix comes before the suffix');
    const { status } = await testState();
    assert.notStrictEqual(status.kind, 'error', `status: ${status.reason}`);
    assert.ok(cursor.line === 5, 'cursor line as typed');
  });

  it('completes in a TypeScript file and Tab inserts the suggestion', async () => {
    const editor = await openFile('src/shapes.ts');
    assert.strictEqual(editor.document.languageId, 'typescript');
    // Between the interface and distance(): the suffix holds distance().
    moveCursor(editor, 5, 0);
    await typeText(editor, 'export function midpoint(a: Point, b: Point): Point {\n  return \n}\n\n');
    moveCursor(editor, 6, '  return '.length);
    const before = generationRequests(ollama).length;

    const text = await triggerAndAccept(editor, TS_COMPLETION);

    assert.ok(text.includes(`  return ${TS_COMPLETION}\n}\n\nexport function distance`), `accepted text in place:\n${text}`);
    assert.ok(text.includes('export function distance(a: Point, b: Point): number {'), 'the code after the cursor is untouched');
    const sent = generationRequests(ollama).slice(before);
    assert.ok(sent.length >= 1, 'the fake Ollama received a generation request');
    const fim = sentText(sent[sent.length - 1]);
    assert.ok(fim.includes('export interface Point {'), 'prefix carries the interface');
    assert.ok(fim.includes('export function midpoint(a: Point, b: Point): Point {\n  return '), 'prefix ends at the cursor');
    assert.ok(fim.includes('export function distance(a: Point, b: Point): number {'), 'suffix carries distance()');
    const { status } = await testState();
    assert.ok(status.last && status.last.totalMs !== undefined, 'the status tooltip has the last request\'s timings');
    assert.match(status.tooltip, /Last request: first token/);
  });

  it('completes in an untitled (unsaved) document too', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'def farewell(name: str) -> str:\n    return ' });
    const editor = await vscode.window.showTextDocument(doc);
    moveCursor(editor, 1, '    return '.length);
    const before = generationRequests(ollama).length;
    const text = await triggerAndAccept(editor, PY_COMPLETION);
    assert.strictEqual(text, `def farewell(name: str) -> str:\n    return ${PY_COMPLETION}`);
    const sent = generationRequests(ollama).slice(before);
    assert.ok(sent.length >= 1 && sentText(sent[sent.length - 1]).includes('def farewell(name: str) -> str:\n    return '));
  });

  it('switches to a llama.cpp server at run time: /infill gets the prefix and suffix around the cursor', async () => {
    const { startFakeLlamaCpp } = fakeServers();
    const llama = await startFakeLlamaCpp({ respond: () => 'a * b' });
    try {
      await setUserSettings({ backend: 'llamacpp', endpoint: llama.url });
      const editor = await openFile('src/shapes.ts');
      moveCursor(editor, 5, 0);
      await typeText(editor, 'export function area(a: number, b: number): number {\n  return \n}\n\n');
      moveCursor(editor, 6, '  return '.length);
      const text = await triggerAndAccept(editor, 'a * b');
      assert.ok(text.includes('  return a * b\n}\n'), text);
      const infill = llama.requestsTo('/infill');
      assert.ok(infill.length >= 1, 'llama.cpp /infill was asked');
      // (Requests after the accept ask about the next position; find the one for the hole.)
      // llama.cpp takes the cursor line's start as `prompt`, the lines above as `input_prefix`.
      const before = (r: typeof infill[number]) => String(r.body.input_prefix) + String(r.body.prompt ?? '');
      const hole = infill.find(r => before(r).endsWith('export function area(a: number, b: number): number {\n  return '));
      assert.ok(hole, `an /infill request whose prefix ends at the cursor: ${JSON.stringify(infill.map(r => before(r).slice(-40)))}`);
      const body = hole.body;
      assert.ok(String(body.input_suffix).startsWith('\n}\n'), 'input_suffix starts at the cursor');
      assert.strictEqual(body.cache_prompt, true);
      assert.strictEqual(generationRequests(ollama).filter(r => r.receivedAt >= infill[0].receivedAt).length, 0, 'Ollama is no longer asked');
    } finally {
      await setUserSettings({ backend: 'ollama', endpoint: ollama.url });
      await llama.close();
    }
  });
});
