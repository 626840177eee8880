// The next suggestion ready when Tab is pressed, in a real VS Code: taking a suggestion that ends its line makes the
// extension ask the server, in the background, for the suggestion past the Enter; after the Enter it shows at once
// from that answer. The fake server counts one request for the new line, made before the Enter.
import * as assert from 'assert';
import type { FakeGeneration, FakeServer } from '../../support/fakeServers';
import {
  activateExtension, closeAllEditors, fakeServers, generationRequests, moveCursor, openFile,
  readingOrder, setUserSettings, triggerAndAccept, typeText, waitFor,
} from './helpers';

describe('speculation: the next suggestion before Tab', function () {
  let ollama: FakeServer;
  const FIRST = 'compose(name)';
  const NEXT = 'return message';
  /** The hole's prefix (the last fim_prefix marker: related files come first). */
  const prefixOf = (raw: string) => {
    const prompt = readingOrder(raw);
    return prompt.slice(prompt.lastIndexOf('<|fim_prefix|>'), prompt.lastIndexOf('<|fim_suffix|>'));
  };

  before(async () => {
    await activateExtension();
    const { startFakeOllama, OLLAMA_MODELS } = fakeServers();
    ollama = await startFakeOllama({
      models: [OLLAMA_MODELS.qwenBase],
      respond: (_body: unknown, gen: FakeGeneration) => (prefixOf(gen.prompt).endsWith(`message = ${FIRST}\n    `) ? NEXT : FIRST),
      chunkChars: 4,
    });
    await setUserSettings({ backend: 'ollama', endpoint: ollama.url, model: OLLAMA_MODELS.qwenBase.name, enabled: true });
  });

  after(async () => {
    await closeAllEditors();
    await ollama?.close();
  });

  it('asks for the line after an accepted one before the Enter, and shows it without another request', async () => {
    const editor = await openFile('src/greet.py');
    moveCursor(editor, 3, 0);
    await typeText(editor, '\ndef farewell(name: str) -> str:\n    message = ');
    await triggerAndAccept(editor, `message = ${FIRST}`);

    // Taken: the background request for the place past the Enter reaches the server with no keystroke.
    const ahead = (r: ReturnType<typeof generationRequests>[number]) => prefixOf(String(r.body?.prompt ?? '')).endsWith(`message = ${FIRST}\n    `);
    await waitFor('the background request for the next line', () => generationRequests(ollama).filter(ahead).length === 1, 10_000);
    await new Promise(resolve => setTimeout(resolve, 300)); // let it finish streaming into the cache
    const before = generationRequests(ollama).length;

    await typeText(editor, '\n    ');
    const text = await triggerAndAccept(editor, `message = ${FIRST}\n    ${NEXT}`);
    assert.ok(text.includes(`def farewell(name: str) -> str:\n    message = ${FIRST}\n    ${NEXT}`), text);
    // With no debounce the Tab on NEXT may already have sent the request for the end of that line: that one is not
    // for the new line.
    const afterNext = (r: ReturnType<typeof generationRequests>[number]) => String(r.body?.prompt ?? '').endsWith(`<|fim_middle|>    ${NEXT}`);
    assert.strictEqual(generationRequests(ollama).slice(before).filter(r => !afterNext(r)).length, 0, 'no request after the Enter: the answer was ready');
    assert.strictEqual(generationRequests(ollama).filter(ahead).length, 1, 'one request for the new line, made before the Enter');
  });
});
