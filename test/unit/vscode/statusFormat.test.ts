import * as assert from 'assert';
import {
  escapeMarkdown, formatMs, messageMarkdown, plainMessage, statusText, statusTooltip, timingsLine, type StatusView,
} from '../../../src/vscode/statusFormat';

const base: StatusView = { kind: 'idle', model: 'qwen2.5-coder:1.5b-base', endpoint: 'http://127.0.0.1:11434' };
const NOW = 1_000_000;

describe('vscode status bar text', () => {
  it('shows one icon per state and the snooze minutes left', () => {
    assert.strictEqual(statusText(base, NOW), '$(sparkle) Infill');
    assert.strictEqual(statusText({ ...base, kind: 'working' }, NOW), '$(loading~spin) Infill');
    assert.strictEqual(statusText({ ...base, kind: 'error', reason: 'x' }, NOW), '$(warning) Infill');
    assert.strictEqual(statusText({ ...base, kind: 'disabled' }, NOW), '$(circle-slash) Infill');
    assert.strictEqual(statusText({ ...base, kind: 'snoozed', snoozedUntil: NOW + 14 * 60_000 + 1 }, NOW), '$(clock) Infill 15m');
  });

  it('formats durations in ms below a second and in seconds above', () => {
    assert.strictEqual(formatMs(123.4), '123 ms');
    assert.strictEqual(formatMs(1530), '1.53 s');
    assert.strictEqual(formatMs(12_345), '12.3 s');
    assert.strictEqual(formatMs(undefined), '–');
  });

  it('summarises the last request\'s timings', () => {
    assert.strictEqual(timingsLine({ ttftMs: 120, totalMs: 450, tokens: 23 }), 'first token 120 ms · total 450 ms · 23 tokens');
    assert.strictEqual(timingsLine({ totalMs: 3, source: 'cache' }), 'first token – · total 3 ms · from cache');
    assert.strictEqual(timingsLine(undefined), undefined);
    assert.strictEqual(timingsLine({}), undefined);
  });

  it('puts the error reason, model and timings in the tooltip, escaped', () => {
    const tip = statusTooltip({ ...base, kind: 'error', reason: 'Cannot reach http://127.0.0.1:11434 [ECONNREFUSED]', last: { ttftMs: 80, totalMs: 200, tokens: 5 } }, NOW);
    assert.match(tip, /Infill error:\*\* Cannot reach http:\/\/127\\\.0\\\.0\\\.1:11434 \\\[ECONNREFUSED\\\]/);
    assert.match(tip, /Model: `qwen2\.5-coder:1\.5b-base`/);
    assert.match(tip, /Last request: first token 80 ms · total 200 ms · 5 tokens/);
    assert.match(tip, /Click for options/);
  });

  it('escapes Markdown and HTML in reasons', () => {
    assert.strictEqual(escapeMarkdown('<img src=x> *bold* [l](u)'), '\\<img src=x\\> \\*bold\\* \\[l\\]\\(u\\)');
  });

  it('renders `code` marks in reasons as code spans, never as literal backticks', () => {
    const reason = 'Ollama at http://127.0.0.1:11434 sent an answer Infill could not read. Check that `infill.backend` matches the server.';
    const tip = statusTooltip({ ...base, kind: 'error', reason }, NOW);
    assert.match(tip, /Check that `infill\.backend` matches the server\\\./);
    // Outside code spans, no backtick is left (an escaped one would still show literally).
    const outsideCode = tip.split('\n\n')[0].replace(/`[^`]+`/g, '');
    assert.doesNotMatch(outsideCode, /`/);
    assert.strictEqual(messageMarkdown('a `b` c`d'), "a `b` c'd", 'an unpaired backtick becomes a quote');
    assert.strictEqual(messageMarkdown('run `ollama pull x*`'), 'run `ollama pull x*`', 'code is not escaped');
    assert.strictEqual(plainMessage('run `ollama pull x` first'), 'run ollama pull x first');
  });

  it('says why the current file gets no completion', () => {
    const tip = statusTooltip({ ...base, fileNote: 'the file looks binary', languageOff: 'markdown' }, NOW);
    assert.match(tip, /Not completing in this file: the file looks binary/);
    assert.match(tip, /Off for markdown files/);
    assert.doesNotMatch(statusTooltip(base, NOW), /Not completing/);
  });

  it('never shows a password written into the endpoint (issue 13 row 7)', () => {
    const tip = statusTooltip({ ...base, kind: 'error', endpoint: 'http://alice:s3cret@gpu-box:8000', reason: 'Cannot reach http://alice:s3cret@gpu-box:8000 (ECONNREFUSED)' }, NOW);
    assert.doesNotMatch(tip, /s3cret|alice/);
    assert.match(tip, /http:\/\/(\\\*){3}@gpu/);
  });
});
