import * as assert from 'node:assert/strict';
import type { StatsEvent } from '../../../src/stats/record';
import { keystrokeChars, SuggestionTracker, type ShownSuggestion } from '../../../src/stats/tracker';

function setup() {
  const events: StatsEvent[] = [];
  const tracker = new SuggestionTracker(e => events.push(e));
  const kinds = () => events.map(e => e.kind);
  return { tracker, events, kinds };
}

function shown(over: Partial<ShownSuggestion> = {}): ShownSuggestion {
  const text = over.text ?? 'a + b';
  return {
    editorId: 'file:///calc.py', language: 'python', model: 'qwen', text, insertText: over.insertText ?? text,
    line: 1, character: 11, source: 'model', requestId: 1, waitedMs: 240, at: 1000, ...over,
  };
}

const edit = (line: number, character: number, text: string, rangeLength = 0) => ({
  editorId: 'file:///calc.py', language: 'python', model: 'qwen', at: 2000, changes: [{ line, character, rangeLength, text }],
});

describe('stats/tracker', () => {
  it('counts a suggestion accepted with Tab: shown once, accepted whole with its characters, never typed', () => {
    const { tracker, events, kinds } = setup();
    const id = tracker.shown(shown());
    tracker.edited(edit(1, 11, 'a + b')); // VS Code inserts the item, then runs its command
    tracker.accepted(id, 2000);
    assert.deepEqual(kinds(), ['shown', 'acceptedWhole']);
    assert.deepEqual(events[0], { kind: 'shown', language: 'python', model: 'qwen', at: 1000, multiline: false, source: 'model', ghostTextMs: 240 });
    assert.equal((events[1] as { chars: number }).chars, 5);
  });

  it('follows a suggestion typed along: one shown, typed-through answers, typed characters, then accepted', () => {
    const { tracker, events, kinds } = setup();
    tracker.shown(shown());
    tracker.edited(edit(1, 11, 'a'));
    const id = tracker.shown(shown({ text: ' + b', character: 12, source: 'typed-through' }));
    tracker.accepted(id, 3000);
    assert.deepEqual(kinds(), ['shown', 'typed', 'typedThrough', 'acceptedWhole']);
    assert.equal((events[3] as { chars: number }).chars, 4, 'only the part inserted by the accept');
  });

  it('sees a multi-character insertion of the start of the suggestion as a partial accept (word, then line)', () => {
    const { tracker, events, kinds } = setup();
    tracker.shown(shown({ text: 'total = 0\n    return total' }));
    tracker.edited(edit(1, 11, 'total'));
    tracker.edited(edit(1, 16, ' = 0'));
    assert.deepEqual(kinds(), ['shown', 'acceptedPart', 'acceptedPart']);
    assert.deepEqual(events.slice(1).map(e => e.kind === 'acceptedPart' && [e.unit, e.chars, e.first, e.multiline]), [
      ['word', 5, true, true], ['line', 4, false, true],
    ]);
    // Typing something else ends it; it was partly accepted, so it is not dismissed.
    tracker.edited(edit(1, 20, 'x'));
    assert.deepEqual(kinds().slice(3), ['typed']);
  });

  it('a whole accept after a partial one replaces the partial outcome', () => {
    const { tracker, events } = setup();
    const id = tracker.shown(shown({ text: 'foo(bar)' }));
    tracker.edited(edit(1, 11, 'foo'));
    tracker.accepted(id, 3000);
    const whole = events.find(e => e.kind === 'acceptedWhole');
    assert.equal(whole?.kind === 'acceptedWhole' && whole.replaces, 'partly');
  });

  it('counts a suggestion dismissed when the typing leaves it, or another one replaces it', () => {
    const { tracker, kinds } = setup();
    tracker.shown(shown());
    tracker.edited(edit(1, 11, 'x'));
    assert.deepEqual(kinds(), ['shown', 'dismissed', 'typed']);
    tracker.shown(shown({ requestId: 2 }));
    tracker.shown(shown({ requestId: 3 }));
    assert.equal(kinds().filter(k => k === 'dismissed').length, 2);
    assert.equal(kinds().filter(k => k === 'shown').length, 3);
  });

  it('treats a suggestion shown again by the same request (VS Code asking twice) as the same one', () => {
    const { tracker, kinds } = setup();
    tracker.shown(shown());
    tracker.shown(shown({ source: 'typed-through' }));
    tracker.shown(shown({ source: 'model' }));
    assert.deepEqual(kinds(), ['shown', 'typedThrough']);
  });

  it('cache answers are new suggestions unless VS Code re-asks for the same one', () => {
    const { tracker, events, kinds } = setup();
    tracker.shown(shown({ source: 'cache', requestId: 0, waitedMs: 2 }));
    tracker.shown(shown({ source: 'typed-through', requestId: 0 }));
    assert.deepEqual(kinds(), ['shown', 'typedThrough']);
    assert.equal(events[0].kind === 'shown' && events[0].source, 'cache');
  });

  it('an accept seen after the suggestion was counted dismissed corrects the count', () => {
    const { tracker, events } = setup();
    const id = tracker.shown(shown());
    tracker.edited(edit(5, 0, 'x')); // an edit elsewhere ends it first
    tracker.accepted(id, 3000);
    const whole = events.find(e => e.kind === 'acceptedWhole');
    assert.equal(whole?.kind === 'acceptedWhole' && whole.replaces, 'dismissed');
    tracker.accepted(id, 3001);
    assert.equal(events.filter(e => e.kind === 'acceptedWhole').length, 1, 'counted once');
  });

  it('moving the focus to another editor ends the suggestions shown elsewhere', () => {
    const { tracker, kinds } = setup();
    tracker.shown(shown());
    tracker.shown(shown({ editorId: 'file:///other.py', requestId: 2 }));
    tracker.focusMoved('file:///other.py', 3000);
    assert.deepEqual(kinds(), ['shown', 'shown', 'dismissed']);
    tracker.focusMoved(undefined, 3001);
    assert.deepEqual(kinds(), ['shown', 'shown', 'dismissed', 'dismissed']);
  });

  it('closing the editor ends its suggestion', () => {
    const { tracker, kinds } = setup();
    tracker.shown(shown());
    tracker.closed('file:///calc.py', 5000);
    tracker.closed('file:///calc.py', 5001);
    assert.deepEqual(kinds(), ['shown', 'dismissed']);
  });

  it('counts keystroke-sized edits as typed characters, not pastes or refactorings', () => {
    const change = (text: string) => ({ line: 0, character: 0, rangeLength: 0, text });
    assert.equal(keystrokeChars(change('a')), 1);
    assert.equal(keystrokeChars(change('()')), 1);
    assert.equal(keystrokeChars(change('\n    ')), 1);
    assert.equal(keystrokeChars(change('    ')), 1);
    assert.equal(keystrokeChars(change('')), 0);
    assert.equal(keystrokeChars(change('const x = pasted();')), 0);
  });
});
