// Real source files to replay: taken from packages installed for the project (and npm's own bundled gyp for
// Python), so the bench needs no data of its own and the code is real code, not generated text.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CorpusFile {
  /** Where it came from, for the report ("ollama/src/browser.ts"). */
  label: string;
  path: string;
  languageId: string;
  text: string;
}

/** A stretch of lines the simulated user types into the otherwise finished file. */
export interface ReplayRegion {
  file: CorpusFile;
  /** Offset of the first typed character (a line start). */
  start: number;
  /** Offset just past the last typed character (the line break that ends the region stays in the file). */
  end: number;
  startLine: number;
  lines: number;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

function npmBundledGyp(): string[] {
  const roots = [
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm'),
    '/usr/lib/node_modules/npm', '/usr/local/lib/node_modules/npm',
  ];
  return roots.map(r => path.join(r, 'node_modules', 'node-gyp', 'gyp', 'pylib', 'gyp', 'common.py'));
}

interface Candidate { label: string; languageId: string; paths: string[] }

const CANDIDATES: Candidate[] = [
  { label: 'ollama/src/browser.ts', languageId: 'typescript', paths: [path.join(REPO_ROOT, 'node_modules', 'ollama', 'src', 'browser.ts')] },
  { label: 'ollama/src/utils.ts', languageId: 'typescript', paths: [path.join(REPO_ROOT, 'node_modules', 'ollama', 'src', 'utils.ts')] },
  { label: 'picomatch/lib/picomatch.js', languageId: 'javascript', paths: [path.join(REPO_ROOT, 'node_modules', 'picomatch', 'lib', 'picomatch.js')] },
  { label: 'picomatch/lib/scan.js', languageId: 'javascript', paths: [path.join(REPO_ROOT, 'node_modules', 'picomatch', 'lib', 'scan.js')] },
  { label: 'npm/node-gyp/gyp/pylib/gyp/common.py', languageId: 'python', paths: npmBundledGyp() },
];

/** The replay corpus: every candidate found on this machine (a missing one is skipped and reported). */
export function loadCorpus(): { files: CorpusFile[]; missing: string[] } {
  const files: CorpusFile[] = [];
  const missing: string[] = [];
  for (const c of CANDIDATES) {
    const found = c.paths.find(p => fs.existsSync(p));
    if (!found) { missing.push(c.label); continue; }
    files.push({ label: c.label, path: found, languageId: c.languageId, text: fs.readFileSync(found, 'utf8').replace(/\r\n/g, '\n') });
  }
  return { files, missing };
}

/**
 * Picks `count` regions of about `lines` lines spread over the file, each starting at a non-blank line and
 * ending at a line end, avoiding the licence header at the top.
 */
export function pickRegions(file: CorpusFile, count: number, lines: number): ReplayRegion[] {
  const starts: number[] = [0];
  for (let i = 0; i < file.text.length; i++) if (file.text[i] === '\n') starts.push(i + 1);
  const total = starts.length;
  const regions: ReplayRegion[] = [];
  for (let k = 0; k < count; k++) {
    let line = Math.floor(((k + 1) / (count + 1)) * total);
    while (line < total - 1 && file.text.slice(starts[line], starts[line + 1]).trim() === '') line++;
    const endLine = Math.min(total - 1, line + lines);
    if (endLine <= line) continue;
    const start = starts[line];
    const end = starts[endLine] - 1; // the '\n' ending the region's last line stays in the document
    if (end <= start) continue;
    if (regions.length && start < regions[regions.length - 1].end) continue;
    regions.push({ file, start, end, startLine: line, lines: endLine - line });
  }
  return regions;
}
