// The engine's status and counters around background work and concurrent editors (engine.ts): speculation and
// prefill are on by default, a background request shows no status, adopting one counts as a speculative hit, and the status stays
// "working" while any editor's request runs. One behaviour per case.
import * as assert from 'node:assert/strict';
import { CompletionEngine, type EngineStatus } from '../../../src/pipeline/engine';
import { BackendError } from '../../../src/backend/types';
import { silentLogger } from '../../../src/util/log';
import { atCursor } from '../../support/cursor';
import { engineDeps, FakeClock, flush, Gate, ScriptedBackend, snapshot } from './fakes';

const DOC = atCursor('def area(w, h):\n    ┃\n\nprint(area(2, 3))\n');
const FIRST = ['result = mul(w, h)', '\n'];
const NEXT = ['return result', '\n'];
const TAB = { text: DOC.text.replace('    \n', '    result = mul(w, h)\n'), position: { line: 1, character: 22 } };
const ENTER = { text: DOC.text.replace('    \n', '    result = mul(w, h)\n    \n'), position: { line: 2, character: 4 } };

function live(): AbortSignal {
  return new AbortController().signal;
}

describe('pipeline/engine: background work and status', () => {
  it('speculates and prefills by default (no features given)', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: r => (r.prefix.endsWith('result = mul(w, h)\n    ') ? NEXT : FIRST) });
    const engine = new CompletionEngine({ ...engineDeps(backend, { clock }), features: undefined });
    const statuses: EngineStatus['state'][] = [];
    engine.onStatus(s => statuses.push(s.state));
    const first = engine.provide(snapshot(DOC.text), DOC.position, live());
    await clock.advance(100);
    assert.equal((await first)?.text, 'result = mul(w, h)');
    assert.equal(backend.requests[0].maxTokens, 1, 'the first place in an editor is a new one: a prefill during the debounce');
    assert.equal(engine.counters.prefillRequests, 1);
    await engine.provide(snapshot(TAB.text), TAB.position, live());
    await clock.advance(0);
    assert.equal(backend.requests.length, 3, 'the background request for the place after the Enter');
    assert.equal(engine.counters.speculativeRequests, 1);
    await clock.advance(0);
    assert.deepEqual(statuses, ['working', 'idle'], 'the background request, done, changes no status');
  });

  it('a failed background request is only logged: no status, no back-off', async () => {
    const clock = new FakeClock();
    const debug: string[] = [];
    const backend = new ScriptedBackend({
      chunks: (_r, i) => (i === 0 ? FIRST : NEXT),
      fail: (_r, i) => (i === 1 ? new BackendError('unreachable', 'gone') : undefined),
    });
    const log = { ...silentLogger, debug: (m: string) => { debug.push(m); } };
    const engine = new CompletionEngine(engineDeps(backend, { clock, log, features: { speculate: true } }));
    const first = engine.provide(snapshot(DOC.text), DOC.position, live());
    await clock.advance(100);
    await first;
    await engine.provide(snapshot(TAB.text), TAB.position, live());
    await clock.advance(0);
    assert.equal(backend.requests.length, 2);
    assert.ok(debug.includes('Infill: background request #2 failed: gone'), debug.join('\n'));
    assert.equal(engine.status.state, 'idle');
    assert.equal(engine.counters.requestsFailed, 1);
    // No back-off: the next automatic request (after the Enter) goes after the usual pause.
    const next = engine.provide(snapshot(ENTER.text), ENTER.position, live());
    await clock.advance(400);
    await next;
    assert.equal(backend.requests.length, 3);
  });

  it('a background request shows no status; the user adopting it counts as a speculative hit', async () => {
    const clock = new FakeClock();
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? FIRST : NEXT) });
    const engine = new CompletionEngine(engineDeps(backend, { clock, features: { speculate: true } }));
    const statuses: EngineStatus['state'][] = [];
    engine.onStatus(s => statuses.push(s.state));
    const first = engine.provide(snapshot(DOC.text), DOC.position, live());
    await clock.advance(100);
    await first;
    assert.deepEqual(statuses, ['working', 'idle']);
    (backend as unknown as { options: { gate?: Gate } }).options.gate = gate;
    await engine.provide(snapshot(TAB.text), TAB.position, live());
    await clock.advance(0);
    assert.equal(backend.requests.length, 2);
    assert.deepEqual(statuses, ['working', 'idle'], 'the background request is not shown as work');
    assert.equal(engine.counters.speculativeHits, 0);

    const pending = engine.provide(snapshot(ENTER.text), ENTER.position, live());
    gate.open();
    await clock.advance(0);
    gate.open();
    assert.equal((await pending)?.text, 'return result');
    assert.equal(engine.counters.speculativeHits, 1, 'taken over while it streamed');
    assert.equal(backend.requests.length, 2);
  });

  it('stays "working" while another editor\'s request still runs', async () => {
    const clock = new FakeClock();
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? ['return 1', '\n'] : ['x', ' = ', '1', '\n']), gate });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const a = engine.provide(snapshot(DOC.text, 'python', 'file:///w/a.py'), DOC.position, live(), { explicit: true });
    const b = engine.provide(snapshot(DOC.text, 'python', 'file:///w/b.py'), DOC.position, live(), { explicit: true });
    await clock.advance(0);
    assert.equal(backend.requests.length, 2);
    gate.open();
    await flush();
    gate.open();
    await flush();
    assert.equal((await a)?.text, 'return 1');
    assert.equal(engine.status.state, 'working', 'b still streams');
    gate.open();
    await flush();
    gate.open();
    assert.equal((await b)?.text, 'x = 1');
    assert.equal(engine.status.state, 'idle');
  });
});
