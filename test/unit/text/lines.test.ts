import * as assert from 'node:assert';
import { firstLines, lastLines } from '../../../src/text/lines';
import { errorMessage } from '../../../src/util/errors';
import { throwIfAborted } from '../../../src/util/abort';

describe('text/lines', () => {
  it('lastLines gives the last lines oldest first, the cursor line last', () => {
    assert.deepStrictEqual(lastLines('a\nb\nc', 2), ['b', 'c']);
    assert.deepStrictEqual(lastLines('a\nb\n', 2), ['b', '']);
    assert.deepStrictEqual(lastLines('a\nb', 5), ['a', 'b']);
    assert.deepStrictEqual(lastLines('', 3), ['']);
  });

  it('lastLines counts a leading empty line once, however many lines are asked for', () => {
    assert.deepStrictEqual(lastLines('\nabc', 5), ['', 'abc']);
    assert.deepStrictEqual(lastLines('\n\nabc', 5), ['', '', 'abc']);
  });

  it('firstLines gives the first lines and stops at the end of the text', () => {
    assert.deepStrictEqual(firstLines('a\nb\nc', 2), ['a', 'b']);
    assert.deepStrictEqual(firstLines('a\n', 5), ['a', '']);
    assert.deepStrictEqual(firstLines('', 2), ['']);
  });
});

describe('util/errors and util/abort', () => {
  it('errorMessage reads an Error and stringifies anything else', () => {
    assert.strictEqual(errorMessage(new Error('boom')), 'boom');
    assert.strictEqual(errorMessage('plain'), 'plain');
    assert.strictEqual(errorMessage(42), '42');
  });

  it('throwIfAborted throws an AbortError only once the signal fired', () => {
    const controller = new AbortController();
    throwIfAborted(controller.signal);
    controller.abort();
    assert.throws(() => throwIfAborted(controller.signal), (err: Error) => err.name === 'AbortError');
  });
});
