import * as assert from 'node:assert/strict';
import { CompletionEngine } from '../../../src/pipeline/engine';
import { acceptedPlace } from '../../../src/pipeline/speculation';
import { atCursor } from '../../support/cursor';
import { engineDeps, FakeClock, Gate, ScriptedBackend, snapshot } from './fakes';

// A finished Python statement is suggested on the first line; after it the user presses Enter.
const DOC = atCursor('def area(w, h):\n    ┃\n\nprint(area(2, 3))\n');
const FIRST = ['result = mul(w, h)', '\n'];
const NEXT = ['return result', '\n'];

function live(): AbortSignal {
  return new AbortController().signal;
}

/** The document and cursor after accepting `text` at the cursor of `base`, then pressing Enter (indentation kept). */
function afterTabAndEnter(base: { text: string; position: { line: number; character: number } }, text: string) {
  const lines = base.text.split('\n');
  const line = lines[base.position.line];
  const indent = /^\s*/.exec(line)![0];
  lines.splice(base.position.line, 1, line.slice(0, base.position.character) + text, indent + line.slice(base.position.character).trimStart());
  return { text: lines.join('\n'), position: { line: base.position.line + 1, character: indent.length } };
}

describe('pipeline/speculation', () => {
  it('accepting a suggestion that ends its line leads past the Enter, with the line\'s indentation or one level more', () => {
    const place = acceptedPlace(snapshot(DOC.text), DOC.position, 'result = mul(w, h)');
    assert.equal(place.text, 'result = mul(w, h)\n    ');
    assert.deepEqual(place.position, { line: 2, character: 4 });
    assert.equal(place.snapshot.text, 'def area(w, h):\n    result = mul(w, h)\n    \n\nprint(area(2, 3))\n');
    const header = atCursor('class A:\n    ┃\n');
    assert.equal(acceptedPlace(snapshot(header.text), header.position, 'def f(self):').text, 'def f(self):\n        ');
    // A line left unfinished: the place is the end of the suggestion itself.
    assert.equal(acceptedPlace(snapshot(DOC.text), DOC.position, 'result = mul(w,').text, 'result = mul(w,');
  });

  it('asks for the next suggestion once the shown one is taken, and shows it at once after the Enter', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? FIRST : NEXT) });
    const engine = new CompletionEngine(engineDeps(backend, { clock, features: { speculate: true } }));

    const first = engine.provide(snapshot(DOC.text), DOC.position, live());
    await clock.advance(100);
    assert.equal((await first)?.text, 'result = mul(w, h)');
    assert.equal(backend.requests.length, 1, 'nothing asked in the background while the suggestion is only shown');

    // Tab: the cursor stands at the end of the accepted line; the background request goes now.
    const tab = { text: DOC.text.replace('    \n', '    result = mul(w, h)\n'), position: { line: 1, character: 22 } };
    assert.equal(await engine.provide(snapshot(tab.text), tab.position, live()), undefined);
    await clock.advance(0);
    assert.equal(backend.requests.length, 2);
    assert.ok(backend.requests[1].prefix.endsWith('    result = mul(w, h)\n    '), 'asked where the Enter leads');

    // Enter: the next suggestion is there without waiting for the debounce or a new request.
    const enter = afterTabAndEnter(DOC, 'result = mul(w, h)');
    const next = await engine.provide(snapshot(enter.text), enter.position, live());
    assert.deepEqual(next && [next.text, next.source, next.requestId], ['return result', 'cache', 2]);
    assert.equal(backend.requests.length, 2);
    assert.equal(engine.counters.speculativeRequests, 1);
    assert.equal(engine.counters.speculativeHits, 1);
  });

  it('takes over the background request when the user arrives while it still streams', async () => {
    const clock = new FakeClock();
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? FIRST : NEXT) });
    const engine = new CompletionEngine(engineDeps(backend, { clock, features: { speculate: true } }));
    const first = engine.provide(snapshot(DOC.text), DOC.position, live());
    await clock.advance(100);
    await first;
    // From now on the server streams only when the test opens the gate.
    (backend as unknown as { options: { gate?: Gate } }).options.gate = gate;
    const tab = { text: DOC.text.replace('    \n', '    result = mul(w, h)\n'), position: { line: 1, character: 22 } };
    await engine.provide(snapshot(tab.text), tab.position, live());
    await clock.advance(0);
    assert.equal(backend.requests.length, 2);

    const enter = afterTabAndEnter(DOC, 'result = mul(w, h)');
    const pending = engine.provide(snapshot(enter.text), enter.position, live());
    gate.open();
    await clock.advance(0);
    gate.open();
    const next = await pending;
    assert.equal(next?.text, 'return result');
    assert.equal(backend.requests.length, 2, 'no second request for the same place');
  });

  it('stops the background request as soon as the typing leaves the path to its place', async () => {
    const clock = new FakeClock();
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? FIRST : NEXT) });
    const engine = new CompletionEngine(engineDeps(backend, { clock, features: { speculate: true } }));
    const first = engine.provide(snapshot(DOC.text), DOC.position, live());
    await clock.advance(100);
    await first;
    (backend as unknown as { options: { gate?: Gate } }).options.gate = gate;
    const tab = { text: DOC.text.replace('    \n', '    result = mul(w, h)\n'), position: { line: 1, character: 22 } };
    await engine.provide(snapshot(tab.text), tab.position, live());
    await clock.advance(0);
    assert.equal(backend.log[1].aborted, false);

    // The user types on along the same line instead of pressing Enter.
    const typed = { text: DOC.text.replace('    \n', '    result = mul(w, h) + 1\n'), position: { line: 1, character: 26 } };
    void engine.provide(snapshot(typed.text), typed.position, live());
    await clock.advance(0);
    assert.equal(backend.log[1].aborted, true);
  });

  it('sends no request at the end of a taken suggestion when speculation already works for the place past the Enter', async () => {
    // A line ending in a block opener is not finished: without speculation a request would go at its end.
    const ts = atCursor('function area(w: number) {\n  ┃\n}\n');
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? ['if (w > 0) {', '\n'] : ['return w;', '\n']) });
    const engine = new CompletionEngine(engineDeps(backend, { clock, features: { speculate: true } }));
    const first = engine.provide(snapshot(ts.text, 'typescript'), ts.position, live());
    await clock.advance(100);
    assert.equal((await first)?.text, 'if (w > 0) {');

    const tab = { text: ts.text.replace('  \n', '  if (w > 0) {\n'), position: { line: 1, character: 14 } };
    const atEnd = engine.provide(snapshot(tab.text, 'typescript'), tab.position, live());
    await clock.advance(2000); // past any debounce
    assert.equal(await atEnd, undefined);
    assert.equal(backend.requests.length, 2, 'the speculative request only');
    assert.match(backend.requests[1].prefix, /\n {2}if \(w > 0\) \{\n {4,}$/, 'asked where the Enter leads');

    // Typing on along the line leaves the path: requests go as usual again.
    const typed = { text: ts.text.replace('  \n', '  if (w > 0) { x\n'), position: { line: 1, character: 16 } };
    const other = engine.provide(snapshot(typed.text, 'typescript'), typed.position, live());
    await clock.advance(2000);
    await other;
    assert.equal(backend.requests.length, 3);
  });
});
