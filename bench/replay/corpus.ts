// Real source files to replay: taken from packages installed for the project (and npm's own bundled gyp for
// Python), so the bench needs no data of its own and the code is real code, not generated text.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CorpusFile {
  /** Where it came from, for the report ("ollama/src/browser.ts"). */
  label: string;
  path: string;
  /** The package folder it belongs to: the workspace for related-file context. */
  root: string;
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

interface Candidate { label: string; languageId: string; paths: string[]; /** Folders up from the file to its package. */ rootUp: number }

const CANDIDATES: Candidate[] = [
  { label: 'ollama/src/browser.ts', languageId: 'typescript', rootUp: 2, paths: [path.join(REPO_ROOT, 'node_modules', 'ollama', 'src', 'browser.ts')] },
  { label: 'ollama/src/utils.ts', languageId: 'typescript', rootUp: 2, paths: [path.join(REPO_ROOT, 'node_modules', 'ollama', 'src', 'utils.ts')] },
  { label: 'picomatch/lib/picomatch.js', languageId: 'javascript', rootUp: 2, paths: [path.join(REPO_ROOT, 'node_modules', 'picomatch', 'lib', 'picomatch.js')] },
  { label: 'picomatch/lib/scan.js', languageId: 'javascript', rootUp: 2, paths: [path.join(REPO_ROOT, 'node_modules', 'picomatch', 'lib', 'scan.js')] },
  { label: 'npm/node-gyp/gyp/pylib/gyp/common.py', languageId: 'python', rootUp: 2, paths: npmBundledGyp() },
];

/** The replay corpus: every candidate found on this machine (a missing one is skipped and reported). */
export function loadCorpus(): { files: CorpusFile[]; missing: string[] } {
  const files: CorpusFile[] = [];
  const missing: string[] = [];
  for (const c of CANDIDATES) {
    const found = c.paths.find(p => fs.existsSync(p));
    if (!found) { missing.push(c.label); continue; }
    let root = found;
    for (let i = 0; i < c.rootUp; i++) root = path.dirname(root);
    files.push({ label: c.label, path: found, root, languageId: c.languageId, text: fs.readFileSync(found, 'utf8').replace(/\r\n/g, '\n') });
  }
  return { files, missing };
}

/** Files a developer would have open beside `file`: the corpus files of its package and a few of its siblings. */
export function openTabsFor(file: CorpusFile, corpus: CorpusFile[], max = 6): string[] {
  const tabs = corpus.filter(f => f !== file && f.root === file.root).map(f => f.path);
  const ext = path.extname(file.path);
  try {
    for (const name of fs.readdirSync(path.dirname(file.path)).sort()) {
      const p = path.join(path.dirname(file.path), name);
      if (tabs.length >= max) break;
      if (p !== file.path && path.extname(name) === ext && !tabs.includes(p)) tabs.push(p);
    }
  } catch {
    // No siblings readable: the corpus files alone are the tabs.
  }
  return tabs.slice(0, max);
}

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0].length;

/** Bracket depth change of a line, string literals and line comments left out (rough, but enough to find units). */
function bracketDelta(line: string, languageId: string): number {
  const code = line
    .replace(/\\./g, '')
    .replace(/'[^']*'|"[^"]*"|`[^`]*`/g, '')
    .replace(languageId === 'python' ? /#.*$/ : /\/\/.*$/, '');
  let d = 0;
  for (const ch of code) {
    if (ch === '(' || ch === '[' || ch === '{') d++;
    else if (ch === ')' || ch === ']' || ch === '}') d--;
  }
  return d;
}

/**
 * Picks `count` regions spread over the file, each a run of whole statements or declarations at one level:
 * it starts on a non-blank line, never leaves the block it starts in, closes every bracket it opens, and ends
 * where the next line at its level begins. So the file without the region is the file before the user wrote
 * that code, and the replay writes it back: new functions, methods or statements between existing ones.
 */
export function pickRegions(file: CorpusFile, count: number, lines: number): ReplayRegion[] {
  const starts: number[] = [0];
  for (let i = 0; i < file.text.length; i++) if (file.text[i] === '\n') starts.push(i + 1);
  const rows = file.text.split('\n');
  const total = rows.length;
  const blank = (i: number) => rows[i].trim() === '';
  const regions: ReplayRegion[] = [];
  for (let k = 0; k < count; k++) {
    let found: ReplayRegion | undefined;
    for (let first = Math.floor(((k + 1) / (count + 1)) * total); first < total - 2 && !found; first++) {
      if (blank(first)) continue;
      const level = indentOf(rows[first]);
      // Start on a statement: not a continuation or closing line.
      if (/^\s*([)\]}.,]|\*)/.test(rows[first])) continue; // also not inside a /** ... */ comment
      let depth = 0;
      for (let end = first; end < Math.min(total - 1, first + lines * 2); end++) {
        if (!blank(end) && indentOf(rows[end]) < level) break; // left the enclosing block
        depth += bracketDelta(rows[end], file.languageId);
        if (depth < 0) break;
        const size = end + 1 - first;
        let next = end + 1;
        while (next < total && blank(next)) next++;
        const unitEnds = depth === 0 && (next >= total || (indentOf(rows[next]) <= level && !/^\s*[)\]}.,]/.test(rows[next])))
          && !/[,(\[{:\\]\s*$/.test(rows[end]);
        if (unitEnds && size >= Math.ceil(lines / 2)) {
          found = { file, start: starts[first], end: starts[end + 1] - 1, startLine: first, lines: size };
          break;
        }
      }
    }
    if (found && !regions.some(r => found!.start < r.end && r.start < found!.end)) regions.push(found);
  }
  return regions;
}
