// The engine with the default settings (fakes.ts gives the other engine tests a 75-400 ms debounce to exercise).
import * as assert from 'node:assert/strict';
import { DEFAULT_CONFIG } from '../../../src/config/types';
import { decideMultiline } from '../../../src/decisions';
import { CompletionEngine } from '../../../src/pipeline/engine';
import { atCursor } from '../../support/cursor';
import { engineDeps, FakeClock, ScriptedBackend, snapshot } from './fakes';

const SOURCE = 'def area(w, h):\n    return w * h\n\n\ndef perimeter(w, h):\n    return ┃\n';
const DOC = atCursor(SOURCE);

function defaultEngine(clock: FakeClock, backend: ScriptedBackend): CompletionEngine {
  const { debounceMinMs, debounceMaxMs } = DEFAULT_CONFIG;
  return new CompletionEngine(engineDeps(backend, { clock, decideMultiline, configOverrides: { debounceMinMs, debounceMaxMs } }));
}

describe('pipeline/engine with the default settings', () => {
  it('asks the model at the keystroke, with no wait and so no prefill', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: () => ['2 * (w + h)', '\n'] });
    const engine = defaultEngine(clock, backend);
    assert.equal(engine.debounceMs, 0);
    const pending = engine.provide(snapshot(DOC.text), DOC.position, new AbortController().signal);
    await clock.advance(0);
    assert.equal(backend.requests.length, 1, 'the user request goes at once');
    assert.notEqual(backend.requests[0].maxTokens, 1, 'it is the user request, not a prefill');
    assert.equal((await pending)?.text, '2 * (w + h)');
    assert.equal(engine.counters.prefillRequests, 0);
  });

  it('asks for several lines at the end of a line, one line with code right of the cursor', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: () => ['2 * (w + h)', '\n'] });
    const engine = defaultEngine(clock, backend);
    void engine.provide(snapshot(DOC.text), DOC.position, new AbortController().signal);
    await clock.advance(0);
    assert.deepEqual(backend.requests[0].stop.slice(0, 1), ['\n\n\n'], 'several lines: stops only at two blank lines');
    assert.equal(backend.requests[0].maxTokens, DEFAULT_CONFIG.maxTokensMultiline);

    const midLine = atCursor(SOURCE.replace('return ┃', 'return ┃w'));
    void engine.provide(snapshot(midLine.text), midLine.position, new AbortController().signal);
    await clock.advance(0);
    assert.equal(backend.requests.length, 2);
    assert.deepEqual(backend.requests[1].stop.slice(0, 1), ['\n'], 'one line: stops at the line end');
    assert.equal(backend.requests[1].maxTokens, DEFAULT_CONFIG.maxTokensSingleLine);
  });
});
