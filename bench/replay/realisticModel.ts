// A server that answers like a real small code model instead of an ideal one: it follows the file's true
// continuation only as often as real models do, then goes wrong the way they do (diverges into plausible code from
// the same file, runs on past the hole, echoes the suffix, stops early or says nothing). Calibrated on recorded
// outputs of real models (StarCoder2-3B, DeepSeek-Coder-1.3B on HumanEval single-line infilling); see
// calibrate() for what is measured and how each figure is used.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { seededRandom } from './typist';

export interface ModelCalibration {
  /** Where the figures come from, for the report. */
  source: string;
  records: number;
  /** Share of outputs whose first line is the reference line (the model's line accuracy). */
  firstLineRight: number;
  /** Share of outputs with no text at all (the model stops at once). */
  empty: number;
  /** Share whose first line is a strict beginning of the reference (stops early, mid-line). */
  stopsEarly: number;
  /** For wrong first lines: how far into the reference they still match, as a share of it (sorted samples). */
  divergeShares: number[];
  /** Share of outputs that go on past the hole's line, and the extra lines they write (sorted samples). */
  runsPast: number;
  extraLines: number[];
  /** Share of outputs that repeat the suffix's first line (the code right after the hole). */
  echoesSuffix: number;
}

/** Measured by calibrate() on the development set (2,066 outputs) when the data set is not on this machine. */
export const BUILTIN_CALIBRATION: ModelCalibration = {
  source: 'built-in figures (measured earlier on ../shared/fim-data/real-outputs, 2,066 outputs)',
  records: 2066, firstLineRight: 0.602, empty: 0.036, stopsEarly: 0.008,
  divergeShares: [0, 0, 0, 0.05, 0.14, 0.22, 0.32, 0.44, 0.59, 0.78, 0.97],
  runsPast: 0.261, extraLines: [1, 1, 2, 3, 3, 4, 7, 11, 23], echoesSuffix: 0.024,
};

const DATA_FILE = 'humaneval-single-line.dev.jsonl.gz';

/** The project's copy of the real outputs first (bench/data/real-outputs), else the shared development copy. */
export function realOutputsPath(): string | undefined {
  const benchRoot = path.resolve(__dirname, '..', '..', '..', 'bench');
  const candidates = [path.join(benchRoot, 'data', 'real-outputs', DATA_FILE), path.resolve(benchRoot, '..', '..', 'shared', 'fim-data', 'real-outputs', DATA_FILE)];
  return candidates.find(p => fs.existsSync(p));
}

interface RealOutput { output: string; reference: string; suffix: string }

const nonEmptyLines = (s: string) => s.split('\n').filter(l => l.trim() !== '');

/** Measures the model figures on the recorded outputs (each hole is one whole line, the cursor at its start). */
export function calibrate(file = realOutputsPath()): ModelCalibration {
  if (!file) return BUILTIN_CALIBRATION;
  const records = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n').filter(Boolean).map(l => JSON.parse(l) as RealOutput);
  let right = 0, empty = 0, early = 0, past = 0, echo = 0;
  const shares: number[] = [], extra: number[] = [];
  for (const r of records) {
    const out = nonEmptyLines(r.output);
    const ref = r.reference.trim();
    if (out.length === 0) { empty++; continue; }
    const first = out[0].trim();
    if (first === ref) right++;
    else if (ref.startsWith(first)) early++;
    else {
      let k = 0;
      while (k < Math.min(first.length, ref.length) && first[k] === ref[k]) k++;
      shares.push(k / Math.max(1, ref.length));
    }
    if (out.length > 1) { past++; extra.push(out.length - 1); }
    const suffixFirst = nonEmptyLines(r.suffix)[0]?.trim();
    if (suffixFirst && out.slice(1).some(l => l.trim() === suffixFirst)) echo++;
  }
  const n = Math.max(1, records.length);
  const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
  return {
    source: path.relative(process.cwd(), file) || file, records: records.length,
    firstLineRight: right / n, empty: empty / n, stopsEarly: early / n,
    divergeShares: sorted(shares), runsPast: past / n, extraLines: sorted(extra), echoesSuffix: echo / n,
  };
}

/** FNV-1a: a stable seed from text, so the same request gets the same answer (a model at low temperature). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const pick = <T>(items: T[], r: number) => items[Math.min(items.length - 1, Math.floor(r * items.length))];
const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];

export interface RealisticInput {
  /** The whole finished file and the cursor's offset in it (the true continuation starts there). */
  fileText: string;
  cursor: number;
  /** The text right of the cursor in the document the model sees (the hole's suffix, for the echo). */
  suffix: string;
  /** Single-line requests stop at the line end; only the first line matters then. */
  multiline: boolean;
  /** Varies the answers between replays (the typist's seed). */
  seed: number;
}

/**
 * The raw output of a realistic model for one request, before stop sequences and the token limit. Line by line
 * along the true continuation: each line is right with the measured first-line accuracy while all before it were
 * right; the first wrong line keeps the measured share of the true line, then turns into another line of the same
 * file that starts the same way (plausible code); after it the model writes on from another place of the file.
 */
export function realisticOutput(input: RealisticInput, cal: ModelCalibration): string {
  const { fileText, cursor } = input;
  const random = seededRandom(hash(`${input.seed}\u0000${fileText.slice(Math.max(0, cursor - 400), cursor)}\u0000${input.suffix.slice(0, 200)}`));
  const lineStart = fileText.lastIndexOf('\n', cursor - 1) + 1;
  const typed = fileText.slice(lineStart, cursor);
  const truth = fileText.slice(cursor).split('\n');
  const fileLines = fileText.split('\n');

  const r0 = random();
  if (r0 < cal.empty) return '';
  if (r0 < cal.empty + cal.stopsEarly) return truth[0].slice(0, Math.floor(random() * truth[0].length));
  const out: string[] = [];
  const maxLines = input.multiline ? truth.length : 1;
  let wrongIndent: string | undefined;
  let echoed = false;
  for (let i = 0; i < maxLines; i++) {
    if (i === 1 && random() < cal.echoesSuffix) {
      // Right to the hole's line end, then the code that already follows the hole, again.
      out.push(...input.suffix.replace(/^[^\n]*\n?/, '').split('\n'));
      echoed = true;
      break;
    }
    if (random() < cal.firstLineRight / (1 - cal.empty - cal.stopsEarly)) { out.push(truth[i]); continue; }
    // The first wrong line: what the user has of it (typed, on the cursor's line) plus the shared beginning.
    const given = i === 0 ? typed : '';
    const full = given + truth[i];
    const keep = given.length + Math.floor(pick(cal.divergeShares, random()) * truth[i].length);
    out.push(divergedLine(full, keep, fileLines, random).slice(given.length));
    wrongIndent = indentOf(full);
    break;
  }
  if (!input.multiline) return out[0] ?? '';
  if (wrongIndent !== undefined && !echoed) {
    // Diverged: the model writes on in the file's own style, from another place with the same indentation.
    out.push(...elsewhere(fileLines, wrongIndent, 1 + pick(cal.extraLines, random()), random));
  }
  return out.join('\n');
}

/** A line that starts like `line[0..keep)` and goes on as another line of the file would (or ends there). */
function divergedLine(line: string, keep: number, fileLines: string[], random: () => number): string {
  const start = line.slice(0, keep);
  const others = fileLines.filter(l => l !== line && l.startsWith(start) && l.length > start.length);
  if (others.length) return pick(others, random());
  // Nothing in the file starts that way: a line with the same indentation, after the shared words.
  const indent = indentOf(line);
  const sameIndent = fileLines.filter(l => l !== line && l.trim() !== '' && indentOf(l) === indent);
  if (!sameIndent.length) return start;
  const other = pick(sameIndent, random());
  return start.length <= indent.length ? other : start + other.slice(Math.min(other.length, start.length));
}

/** `count` lines of the file from a random line with the given indentation. */
function elsewhere(fileLines: string[], indent: string, count: number, random: () => number): string[] {
  const starts = fileLines.map((l, i) => (l.trim() !== '' && indentOf(l) === indent ? i : -1)).filter(i => i >= 0);
  if (!starts.length) return [];
  const from = pick(starts, random());
  return fileLines.slice(from, from + count);
}
