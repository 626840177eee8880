// The realistic replay server: its calibration reads the real-output format, and its answers follow the truth
// exactly as often as calibrated, the same way each time for the same request.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { BUILTIN_CALIBRATION, calibrate, realisticOutput, type ModelCalibration } from '../../../bench/replay/realisticModel';

const FILE = [
  'def area(w, h):',
  '    return w * h',
  '',
  'def perimeter(w, h):',
  '    total = 2 * (w + h)',
  '    return total',
  '',
  'def volume(w, h, d):',
  '    return w * h * d',
  '',
].join('\n');

const always = (firstLineRight: number): ModelCalibration => ({ ...BUILTIN_CALIBRATION, firstLineRight, empty: 0, stopsEarly: 0, echoesSuffix: 0 });

describe('bench/realisticModel', () => {
  it('measures line accuracy, early stops, empty outputs, runs past the hole and suffix echoes', () => {
    const rows = [
      { output: '    return x\n', reference: '    return x', suffix: '\n' },
      { output: '    return y\n    z = 1\n', reference: '    return x', suffix: '\n' },
      { output: '', reference: '    return x', suffix: '\n' },
      { output: '    ret', reference: '    return x', suffix: '\n' },
      { output: '    a = 1\n    print(a)\n', reference: '    a = 1', suffix: '\n    print(a)\n' },
    ];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infill-real-'));
    const file = path.join(dir, 'r.jsonl.gz');
    fs.writeFileSync(file, zlib.gzipSync(rows.map(r => JSON.stringify(r)).join('\n') + '\n'));
    const c = calibrate(file);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(c.records, 5);
    assert.equal(c.firstLineRight, 2 / 5);
    assert.equal(c.empty, 1 / 5);
    assert.equal(c.stopsEarly, 1 / 5);
    assert.equal(c.runsPast, 2 / 5);
    assert.deepEqual(c.extraLines, [1, 1]);
    assert.equal(c.echoesSuffix, 1 / 5);
    // Compared without indentation: "return y" keeps 7 of the 8 characters of "return x".
    assert.deepEqual(c.divergeShares, [7 / 8]);
  });

  it('an always-right model writes the true continuation; a never-right one diverges into code of the same file', () => {
    const cursor = FILE.indexOf('    total');
    const input = { fileText: FILE, cursor, suffix: FILE.slice(FILE.indexOf('\n', cursor)), multiline: true, seed: 1 };
    assert.equal(realisticOutput(input, always(1)), FILE.slice(cursor));
    const wrong = realisticOutput(input, always(0));
    const firstLine = wrong.split('\n')[0];
    assert.notEqual(firstLine, '    total = 2 * (w + h)');
    assert.ok(FILE.split('\n').includes(firstLine) || firstLine.startsWith('    '), firstLine);
  });

  it('gives the same answer to the same request, and only the first line to a single-line one', () => {
    const cursor = FILE.indexOf('return w * h\n') + 'return '.length;
    const input = { fileText: FILE, cursor, suffix: FILE.slice(FILE.indexOf('\n', cursor)), multiline: false, seed: 7 };
    const cal = always(0.5);
    assert.equal(realisticOutput(input, cal), realisticOutput(input, cal));
    assert.ok(!realisticOutput(input, cal).includes('\n'));
    assert.equal(realisticOutput(input, always(1)), 'w * h');
  });
});
