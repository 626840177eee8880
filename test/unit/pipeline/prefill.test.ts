import * as assert from 'node:assert/strict';
import { CompletionEngine } from '../../../src/pipeline/engine';
import { atCursor } from '../../support/cursor';
import { engineDeps, FakeClock, ScriptedBackend, snapshot } from './fakes';

const SOURCE = 'def area(w, h):\n    return w * h\n\n\ndef perimeter(w, h):\n    return ┃\n';
const DOC = atCursor(SOURCE);

describe('pipeline/prefill', () => {
  it('at a new place sends the prompt with one token to generate before the debounce ends, then the user request', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: () => ['2 * (w + h)', '\n'] });
    const engine = new CompletionEngine(engineDeps(backend, { clock, features: { prefill: true } }));
    const pending = engine.provide(snapshot(DOC.text), DOC.position, new AbortController().signal);
    await clock.advance(0);
    assert.equal(backend.requests.length, 1, 'the prefill goes at the keystroke');
    assert.equal(backend.requests[0].maxTokens, 1, 'Ollama: num_predict 1 reads the prompt (0 would mean no limit)');
    await clock.advance(1000);
    assert.equal((await pending)?.text, '2 * (w + h)', 'the prefill\'s output is not shown: the user request\'s is');
    assert.equal(backend.requests.length, 2);
    assert.equal(backend.requests[1].prompt, backend.requests[0].prompt, 'the same prompt: the server has it cached');
    assert.equal(engine.counters.prefillRequests, 1);

    // Typing on along the same line is no new place: no prefill.
    const typed = atCursor(SOURCE.replace('return ┃', 'return 2┃'));
    void engine.provide(snapshot(typed.text), typed.position, new AbortController().signal);
    await clock.advance(1000);
    assert.equal(engine.counters.prefillRequests, 1);
  });
});
