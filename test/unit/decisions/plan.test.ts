import * as assert from 'node:assert/strict';
import { MULTILINE_MAX_PREDICT_MS, multilineAt, planRequest, skipAutomaticAt } from '../../../src/decisions';
import { buildDocumentContext } from '../../../src/document/documentContext';
import { atCursor } from '../../support/cursor';

const limits = { singleLine: 64, multiline: 384 };

function docAt(marked: string, languageId = 'python') {
  const { text, position } = atCursor(marked);
  return buildDocumentContext({ uri: 'f', relativePath: 'f', languageId, text, version: 1 }, position, { prefixTokens: 1024, suffixTokens: 128 });
}

describe('decisions/planRequest', () => {
  it('one line: stops at the line end, the single-line budget, no generation time limit', () => {
    assert.deepEqual(planRequest({ languageId: 'python', multiline: false, limits }), { multiline: false, stop: ['\n'], maxTokens: 64 });
  });

  it('a block: stops only at two blank lines, the multi-line budget and a generation time limit', () => {
    assert.deepEqual(planRequest({ languageId: 'python', multiline: true, limits }),
      { multiline: true, stop: ['\n\n\n'], maxTokens: 384, maxPredictMs: MULTILINE_MAX_PREDICT_MS });
  });

  it('an explicit token limit wins over the settings', () => {
    assert.equal(planRequest({ languageId: 'python', multiline: true, limits, maxTokens: 7 }).maxTokens, 7);
  });
});

describe('decisions/multilineAt and skipAutomaticAt', () => {
  it('asks the decider with the cursor text; a failing decider means one line', () => {
    const doc = docAt('def f(x):\n    ┃\n');
    let seen = '';
    assert.equal(multilineAt(doc, i => { seen = i.prefix; return true; }), true);
    assert.equal(seen, 'def f(x):\n    ');
    const errors: unknown[] = [];
    assert.equal(multilineAt(doc, () => { throw new Error('boom'); }, e => errors.push(e)), false);
    assert.equal(errors.length, 1);
  });

  it('skips an automatic single-line request at the end of a finished line, never a block', () => {
    const finished = docAt('x = compute(1, 2)┃\n');
    assert.equal(skipAutomaticAt(finished, false), true);
    assert.equal(skipAutomaticAt(finished, true), false);
    assert.equal(skipAutomaticAt(docAt('x = compute(┃\n'), false), false);
  });
});
