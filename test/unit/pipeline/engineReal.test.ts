// The engine with the real stages: Ollama backend (against the fake Ollama's real wire format), template
// resolver, post-processor and multiline decision.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startFakeOllama, type FakeServer } from '../../support/fakeServers';
import { realStagesEngine, snapshot, testConfig } from './fakes';

const FIB_PATH = path.join(__dirname, '../../../../test/fixtures/sample/fib.py');

describe('pipeline/engine with the real stages', () => {
  let ollama: FakeServer;
  let respond: string;
  before(async () => { ollama = await startFakeOllama({ respond: () => respond }); });
  after(async () => { await ollama.close(); });
  beforeEach(() => { ollama.set({ fault: undefined, chunkDelayMs: 0, firstChunkDelayMs: 0 }); });

  function engine(overrides: Partial<ReturnType<typeof testConfig>> = {}) {
    const { engine: e, statuses, records } = realStagesEngine(ollama.url, overrides);
    return { e, statuses, records };
  }
  const fib = () => snapshot(fs.readFileSync(FIB_PATH, 'utf8'), 'python', 'file:///w/fib.py');
  const live = () => new AbortController().signal;

  it('completes the sample file and cuts the overrun at the end of the block', async () => {
    respond = 'return fib(n - 1) + fib(n - 2)\nprint(fib(3))\nx = 1\n';
    const { e, records } = engine();
    const s = await e.provide(fib(), { line: 4, character: 4 }, live(), { explicit: true });
    assert.equal(s?.text, 'return fib(n - 1) + fib(n - 2)');
    assert.equal(s?.source, 'model');
    const body = ollama.requestsTo('/api/generate').at(-1)!.body;
    assert.equal(body.raw, true);
    assert.match(body.prompt, /<\|fim_prefix\|>def fib\(n: int\) -> int:/);
    assert.equal(records[0].request!.maxTokens, testConfig().maxTokensMultiline, 'empty line in a block: multi-line');
  });

  it('stops the stream as soon as the post-processor has the whole suggestion', async () => {
    // A long overrun streamed slowly: without early stop the client would read all of it.
    respond = 'return fib(n - 1) + fib(n - 2)\n' + Array.from({ length: 60 }, (_, i) => `value_${i} = ${i}\n`).join('');
    ollama.set({ chunkDelayMs: 2 });
    const { e, records } = engine();
    const s = await e.provide(fib(), { line: 4, character: 4 }, live(), { explicit: true });
    assert.equal(s?.text, 'return fib(n - 1) + fib(n - 2)');
    const t = records[0].timings!;
    assert.equal(t.earlyStopped, true);
    assert.ok(t.tokens < 30, `${t.tokens} tokens read`);
    assert.ok(t.tokensSaved > 200);
    await new Promise(resolve => setTimeout(resolve, 50));
    assert.equal(ollama.requestsTo('/api/generate').at(-1)!.abortedByClient, true, 'the server saw the client go');
    assert.equal(e.counters.earlyStops, 1);
  });

  for (const [fault, kind] of [['cut', 'interrupted'], ['malformed', 'malformed'], [500, 'http'], ['stream-error', undefined]] as const) {
    it(`reports a ${fault} fault as one status error, with no suggestion`, async () => {
      respond = 'return fib(n - 1) + fib(n - 2)\n';
      ollama.set({ fault, faultCount: 1, chunkChars: 2 });
      const { e, statuses } = engine();
      const s = await e.provide(fib(), { line: 4, character: 4 }, live(), { explicit: true });
      assert.equal(s, undefined);
      const errors = statuses.filter(x => x.state === 'error');
      assert.equal(errors.length, 1);
      if (kind) assert.equal(errors[0].errorKind, kind);
      assert.ok(errors[0].reason && errors[0].reason.length > 10);
      ollama.set({ chunkChars: 4 });
    });
  }

  it('times out a server that never answers', async () => {
    ollama.set({ fault: 'stall', faultCount: 1 });
    respond = 'return 1\n';
    const { e, statuses } = engine({ requestTimeoutMs: 300 });
    assert.equal(await e.provide(fib(), { line: 4, character: 4 }, live(), { explicit: true }), undefined);
    assert.equal(statuses.at(-1)!.errorKind, 'timeout');
  });

  it('survives 100 rapid cancellations against a real server with no unhandled rejection', async function () {
    this.timeout(20_000);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      respond = 'return fib(n - 1) + fib(n - 2)\n';
      ollama.set({ chunkDelayMs: 3, chunkChars: 3 });
      const { e } = engine({ debounceMinMs: 0, debounceMaxMs: 3 });
      const base = fib();
      const results: Promise<unknown>[] = [];
      let previous: AbortController | undefined;
      for (let i = 0; i < 100; i++) {
        // Type one more letter each time (divergent from the suggestion), cancelling the last call.
        const text = base.text.replace('\n    \n', `\n    ${'z'.repeat(i + 1)}\n`);
        const caller = new AbortController();
        results.push(e.provide({ ...base, text, version: i + 2 }, { line: 4, character: 5 + i }, caller.signal, { explicit: i % 3 === 0 }));
        previous?.abort();
        previous = caller;
        await new Promise(resolve => setTimeout(resolve, i % 4));
      }
      const settled = await Promise.allSettled(results);
      assert.equal(settled.filter(x => x.status === 'rejected').length, 0);
      await new Promise(resolve => setTimeout(resolve, 100));
      assert.deepEqual(unhandled, []);
      const c = e.counters;
      assert.ok(c.requestsAborted > 0, 'requests were aborted');
      assert.ok(ollama.requests.some(r => r.abortedByClient), 'the server saw aborted requests');
      e.dispose();
    } finally {
      process.off('unhandledRejection', onUnhandled);
      ollama.set({ chunkChars: 4 });
    }
  });
});
