import * as assert from 'assert';
import { setupMessage, type SetupOutcome } from '../../../src/vscode/setupMessage';

const MODEL = 'qwen2.5-coder:1.5b-base';
const base: SetupOutcome = { ok: true, summary: `${MODEL} at http://127.0.0.1:11434 fills in the middle`, reachable: true, modelMissing: false, backend: 'ollama', model: MODEL };

describe('Check Setup message', () => {
  it('offers Open Settings beside Show Log when no server answers', () => {
    const down = setupMessage({ ...base, ok: false, reachable: false, summary: 'Cannot reach Ollama at http://127.0.0.1:11434. Start it with `ollama serve`.' });
    assert.strictEqual(down.severity, 'warning');
    assert.deepStrictEqual(down.actions, ['Open Settings', 'Show Log']);
    assert.strictEqual(down.text, 'Infill: Cannot reach Ollama at http://127.0.0.1:11434. Start it with ollama serve.', 'no literal backticks');
  });

  it('offers the pull for a missing Ollama model, and only the log when all is well', () => {
    const missing = setupMessage({ ...base, ok: false, modelMissing: true, summary: 'model not found' });
    assert.deepStrictEqual(missing.actions, [`Pull ${MODEL}`, 'Show Log']);
    assert.deepStrictEqual(setupMessage({ ...base, ok: false, modelMissing: true, backend: 'llamacpp' }).actions, ['Show Log']);
    const ok = setupMessage(base);
    assert.deepStrictEqual([ok.severity, ok.actions], ['info', ['Show Log']]);
  });

  it('after a download, reports what the re-check found, not just that the download ended', () => {
    const works = setupMessage(base, MODEL);
    assert.strictEqual(works.severity, 'info');
    assert.match(works.text, /^Infill: downloaded qwen2\.5-coder:1\.5b-base, and it works: .*fills in the middle$/);
    const broken = setupMessage({ ...base, ok: false, summary: 'the model does not fill in the middle' }, MODEL);
    assert.strictEqual(broken.severity, 'warning');
    assert.match(broken.text, /downloaded .*, but the check still fails: the model does not fill in the middle/);
    assert.doesNotMatch(broken.text, /ready/);
  });
});
