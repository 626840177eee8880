// Issue 12's empty pause: typing a class from top to bottom, on the empty line after a method the model writes a
// new method, and the stream used to be stopped right after its header line (the header sits at the indentation
// of the method above, which was read as leaving the cursor's scope), so nothing was shown. The engine with the real post-processor and backend,
// against a fake Ollama that streams the header, then the body, then more code.
import * as assert from 'node:assert/strict';
import { startFakeOllama, type FakeServer } from '../../support/fakeServers';
import { atCursor } from '../../support/cursor';
import { realStagesEngine, snapshot } from './fakes';

const DOCUMENT = [
  'class Store:',
  '    def __init__(self) -> None:',
  '        self.stock: dict[str, int] = {}',
  '',
  '    def receive(self, sku: str, amount: int) -> None:',
  '        self.stock[sku] = self.stock.get(sku, 0) + amount',
  '┃',
].join('\n');

const HEADER = '    def ship(self, sku: str, amount: int) -> int:\n';
const BODY = '        self.stock[sku] -= amount\n        return self.stock[sku]\n';
const MORE = '\n    def audit(self) -> None:\n        print(self.stock)\n' + '\n'.repeat(3) + 'store = Store()\n'.repeat(20);

describe('pipeline/engine: early stop on an empty line between two methods', () => {
  let ollama: FakeServer;
  before(async () => { ollama = await startFakeOllama({ respond: () => HEADER + BODY + MORE }); });
  after(async () => { await ollama.close(); });

  it('waits for the new method\'s body, shows header and body, and stops at the next method', async () => {
    ollama.set({ chunkChars: 6, chunkDelayMs: 1 });
    const { engine, records } = realStagesEngine(ollama.url);
    const { text, position } = atCursor(DOCUMENT);
    const shown = await engine.provide(snapshot(text, 'python', 'file:///w/store.py'), position, new AbortController().signal, { explicit: true });
    assert.equal(shown?.text, (HEADER + BODY).trimEnd());
    assert.ok(records[0].raw.startsWith(HEADER + BODY), 'the stream ran past the header and the body');
    assert.equal(records[0].timings?.earlyStopped, true, 'and stopped once the next method began');
  });
});
