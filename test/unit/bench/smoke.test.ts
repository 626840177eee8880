// The bench must not rot: a tiny run of it (no real engine) inside `npm test`, plus checks of its own parts
// whose mistakes would silently skew the figures (GGUF bytes, half floats, the server's stop handling, time).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { floatToHalfBits, GgufValueType, randomQ8, RandomBytes, readGgufMetadata, constF32, writeGguf, tensorByteLength, GgmlType } from '../../../bench/engine/gguf';
import { ensureModel } from '../../../bench/engine/models';
import { latencyModelFromPoints } from '../../../bench/replay/latencyModel';
import { loadCorpus, pickRegions } from '../../../bench/replay/corpus';
import { planOutput, pseudoTokens } from '../../../bench/replay/simulatedBackend';
import { Typist, DEFAULT_TYPIST, nextKeyText } from '../../../bench/replay/typist';
import { VirtualClock } from '../../../bench/replay/virtualClock';
import { runBench } from '../../../bench/run';

describe('bench', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'infill-bench-test-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('GGUF writer', () => {
    it('encodes half floats exactly for representable values', () => {
      assert.equal(floatToHalfBits(1), 0x3c00);
      assert.equal(floatToHalfBits(0.5), 0x3800);
      assert.equal(floatToHalfBits(-2), 0xc000);
      assert.equal(floatToHalfBits(0), 0);
      assert.equal(floatToHalfBits(65504), 0x7bff);
      assert.equal(floatToHalfBits(1e6), 0x7c00); // overflow to infinity
    });

    it('writes metadata that reads back, and tensor data at aligned offsets', () => {
      const file = path.join(tmp, 'tiny.gguf');
      const meta = new Map([
        ['general.architecture', { type: GgufValueType.STRING, value: 'starcoder' }],
        ['some.count', { type: GgufValueType.U32, value: 7 }],
        ['tokenizer.ggml.tokens', { type: GgufValueType.ARRAY, value: { itemType: GgufValueType.STRING, items: ['a', '<fim_prefix>', 'ü'] } }],
      ]);
      const tensors = [randomQ8('w', 64, 3, new RandomBytes(1)), constF32('b', 5, 1)];
      writeGguf(file, meta, tensors);
      const back = readGgufMetadata(file);
      assert.equal(back.get('general.architecture')?.value, 'starcoder');
      assert.equal(back.get('some.count')?.value, 7);
      assert.deepEqual((back.get('tokenizer.ggml.tokens')?.value as { items: string[] }).items, ['a', '<fim_prefix>', 'ü']);
      assert.equal(tensorByteLength({ shape: [64, 3], type: GgmlType.Q8_0 }), 6 * 34);
      const size = fs.statSync(file).size;
      assert.equal(size % 32, 0, 'file ends aligned');
      // The last tensor (5 floats of 1.0) sits right before the final padding.
      const buf = fs.readFileSync(file);
      const dataEnd = size - (32 - 20); // 20 bytes of data, padded to 32
      assert.equal(buf.readFloatLE(dataEnd - 4), 1);
    });

    it('builds a StarCoder-architecture toy model with the real FIM vocabulary', () => {
      const model = ensureModel('starcoder-toy', tmp);
      const meta = readGgufMetadata(model.path);
      assert.equal(meta.get('general.architecture')?.value, 'starcoder');
      const tokens = (meta.get('tokenizer.ggml.tokens')?.value as { items: string[] }).items;
      assert.ok(tokens.includes('<fim_prefix>') && tokens.includes('<fim_middle>'));
      assert.ok(model.bytes > 4e6 && model.bytes < 7e6, `toy model size ${model.bytes}`);
    });
  });

  describe('simulated server and time', () => {
    it('cuts the output at the first stop sequence, like a server', () => {
      const out = planOutput('foo(bar)\nnext line', { stop: ['\n'], maxTokens: 64 });
      assert.equal(out.tokens.join(''), 'foo(bar)');
      assert.equal(out.stopReason, 'stop');
      const long = planOutput('a b c d e f g', { stop: [], maxTokens: 3 });
      assert.equal(long.tokens.length, 3);
      assert.equal(long.stopReason, 'length');
      assert.equal(pseudoTokens('const value = 42;').join(''), 'const value = 42;');
    });

    it('charges only the new prompt tokens when the prefix is cached', () => {
      const m = latencyModelFromPoints([
        { tokens: 128, coldMs: 300, stableMs: 40, changed: 8 },
        { tokens: 1024, coldMs: 3000, stableMs: 80, changed: 8 },
      ], 10, 'test');
      assert.ok(m.ttftMs(1024, 0) > 2500);
      assert.ok(m.ttftMs(1024, 1016) < 120);
      assert.ok(m.ttftMs(512, 0) < m.ttftMs(1024, 0));
    });

    it('fires virtual timers in time order and rejects aborted sleeps', async () => {
      const clock = new VirtualClock();
      const order: number[] = [];
      void clock.sleep(300).then(() => order.push(300));
      void clock.sleep(100).then(() => order.push(100));
      const ctl = new AbortController();
      const aborted = clock.sleep(200, ctl.signal).then(() => 'fired', () => 'aborted');
      ctl.abort();
      await clock.advanceTo(250);
      assert.deepEqual(order, [100]);
      assert.equal(clock.now(), 250);
      await clock.advanceTo(1000);
      assert.deepEqual(order, [100, 300]);
      assert.equal(await aborted, 'aborted');
    });

    it('picks replay regions that are whole units: start on a statement, close what they open, stay in their block', () => {
      const { files } = loadCorpus();
      assert.ok(files.length >= 2, 'corpus files from installed packages');
      const lines = ['const z = 0;', '', 'function a() {', '  return 1;', '}', '', 'function b(x) {', '  if (x) {', '    return 2;', '  }',
        '  return 3;', '}', '', 'const c = 4;', ''];
      const sample = { ...files[0], text: lines.join('\n'), languageId: 'javascript' };
      const regions = pickRegions(sample, 1, 4); // searched from the middle line: "  if (x) {"
      assert.equal(regions.length, 1);
      assert.equal(sample.text.slice(regions[0].start, regions[0].end), '  if (x) {\n    return 2;\n  }');
      for (const f of files) {
        for (const r of pickRegions(f, 3, 24)) {
          const t = f.text.slice(r.start, r.end);
          assert.notEqual(t.trim(), '');
          assert.equal(f.text[r.end], '\n', `${f.label}: region ends at a line end`);
        }
      }
    });

    it('accepts only a long enough matching prefix, and types Enter with its indentation', () => {
      const t = new Typist(DEFAULT_TYPIST);
      assert.equal(t.acceptLength('return x;', 'return y;'), 7);
      assert.equal(t.acceptLength('ret', 'return'), 0);
      assert.equal(nextKeyText('a\n    b', 1, 7), '\n    ');
    });

    it('with the whole-lines typist, takes a suggestion whole only when all of it matches, else its matching whole lines', () => {
      const t = new Typist({ ...DEFAULT_TYPIST, accept: 'lines' });
      const upcoming = 'if (x) {\n  return 1;\n}\n';
      assert.equal(t.acceptLength('if (x) {\n  return', upcoming), 17, 'all of it matches: whole, even mid-line');
      assert.equal(t.acceptLength('if (x) {\n  return 2;\n}', upcoming), 9, 'only the first line and its line break');
      assert.equal(t.acceptLength('if (x) {\n  return 1;\n}\nfoo();', upcoming), 23, 'wrong last line: the lines before it');
      assert.equal(t.acceptLength('if (x) { y', upcoming), 0, 'the first line differs: keeps typing');
      assert.equal(t.acceptLength('if (x) {', upcoming.slice(0, 6)), 0, 'runs past what is left to type: no whole line');
      assert.equal(t.acceptLength('\nfoo', 'bar'), 0, 'a leading line break that does not match');
      assert.equal(new Typist(DEFAULT_TYPIST).acceptLength('if (x) {\n  return 2;\n}', upcoming), 18, 'the default takes the matching prefix');
    });
  });

  describe('quick run', function () {
    this.timeout(60_000);
    it('measures overhead and replays typing through the real engine, and writes JSON + markdown', async () => {
      const r = await runBench({ quick: true, outDir: tmp });
      assert.equal(r.engine, undefined, 'no real engine in quick mode');
      assert.ok(r.overhead && r.replay, `a part failed: ${r.notes.join(' | ')}`);
      assert.equal(r.overhead.sizes.length, 2);
      for (const s of r.overhead.sizes) {
        assert.ok(s.total.p50Ms > 0 && s.total.p95Ms >= s.total.p50Ms && Number.isFinite(s.total.p95Ms));
        assert.ok(s.stages.documentContext.p95Ms <= s.total.maxMs + 1e-9);
      }
      const ids = r.replay.variants.map(v => v.id);
      assert.deepEqual(ids, ['infill', 'llama-vscode', 'fixed-debounce-no-cache']);
      assert.deepEqual(r.replayRealistic?.variants.map(v => v.id), ids, 'both servers replay the same variants');
      assert.equal(r.replayRealistic?.server, 'realistic');
      assert.deepEqual(r.replayWholeLines?.variants.map(v => v.id), ['infill', 'llama-vscode']);
      assert.equal(r.replayWholeLines?.typist.accept, 'lines');
      assert.match(r.markdown, /Tab takes a suggestion whole only when all of it matches/);
      assert.ok(r.warmLimitMs > 0);
      for (const v of [...r.replay.variants, ...r.replayRealistic!.variants]) {
        assert.ok(v.keystrokes > 0 && v.totalChars > 0, `${v.id} typed nothing`);
        assert.ok(v.modelRequests > 0, `${v.id} made no model request`);
        assert.ok(v.acceptedChars + v.typedChars >= v.totalChars, `${v.id} did not finish typing`);
        assert.ok(v.acceptedShare >= 0 && v.acceptedShare <= 1);
        assert.equal(v.errors, 0);
        assert.ok(Math.abs(v.requestsPer100Keys - (100 * v.modelRequests) / v.keystrokes) < 1e-9);
        // The engine's own count agrees with what the server saw (a request aborted before it was sent never reaches it).
        assert.ok(v.engineCounters.requestsStarted >= v.modelRequests);
        assert.ok(v.engineCounters.requestsStarted <= v.modelRequests + v.engineCounters.requestsAborted);
      }
      const peer = r.replay.variants.find(v => v.id === 'fixed-debounce-no-cache')!;
      const infill = r.replay.variants.find(v => v.id === 'infill')!;
      assert.ok(peer.modelRequests > infill.modelRequests, 'cache and typed-through reuse save requests');
      assert.equal(peer.typedThroughShare, 0);
      assert.ok(r.goals.length >= 5);
      for (const f of r.files) assert.ok(fs.existsSync(f));
      const json = JSON.parse(fs.readFileSync(r.files[0], 'utf8'));
      assert.equal(json.replay.variants.length, 3);
      assert.match(r.markdown, /## Goals[\s\S]*## Overhead[\s\S]*## Typing replay[\s\S]*### Realistic server[\s\S]*### Ideal server/);
    });
  });
});
