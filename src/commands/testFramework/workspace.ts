// Workspace helpers every language's detection shares: path pieces, probing for files, the one upward search
// for a manifest (package.json, go.mod, Cargo.toml), a bounded search for example tests, and how a TestSetup
// is put together for a new file or for tests added to an existing one.
import * as fs from 'fs';
import * as path from 'path';
import type { SupportFile, TestFramework, TestSetup, WorkspaceReader } from './types';

export const posix = path.posix;

/** A WorkspaceReader over a real folder (tests, CLI). */
export function nodeWorkspaceReader(root: string): WorkspaceReader {
  return {
    async readFile(rel) {
      try {
        return await fs.promises.readFile(path.join(root, rel), 'utf8');
      } catch {
        return undefined;
      }
    },
    async readDir(rel) {
      try {
        const entries = await fs.promises.readdir(path.join(root, rel), { withFileTypes: true });
        return entries.map(e => (e.isDirectory() ? e.name + '/' : e.name));
      } catch {
        return undefined;
      }
    },
  };
}

export function splitPath(rel: string): { dir: string; base: string; stem: string; ext: string } {
  const dir = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
  const base = posix.basename(rel);
  const ext = posix.extname(base);
  return { dir, base, stem: base.slice(0, base.length - ext.length), ext };
}

export function joinPath(...parts: string[]): string {
  return posix.join(...parts.filter(Boolean));
}

export async function firstExisting(wfs: WorkspaceReader, candidates: string[]): Promise<{ path: string; content: string } | undefined> {
  for (const candidate of candidates) {
    const content = await wfs.readFile(candidate);
    if (content !== undefined) return { path: candidate, content };
  }
  return undefined;
}

export async function dirExists(wfs: WorkspaceReader, dir: string): Promise<boolean> {
  return (await wfs.readDir(dir)) !== undefined;
}

/** The nearest `fileName` in `dir` or a folder above it, up to the workspace root. */
export async function findUpward(wfs: WorkspaceReader, dir: string, fileName: string): Promise<{ dir: string; path: string; content: string } | undefined> {
  for (let d = dir; ; d = d.includes('/') ? posix.dirname(d) : '') {
    const file = joinPath(d, fileName);
    const content = await wfs.readFile(file);
    if (content !== undefined) return { dir: d, path: file, content };
    if (!d) return undefined;
  }
}

/** Files under `dir` matching `accept`, breadth-first, skipping vendored folders; bounded so huge trees stay cheap. */
export async function findFiles(wfs: WorkspaceReader, dir: string, accept: (name: string) => boolean, limit = 20, maxDirs = 200): Promise<string[]> {
  const found: string[] = [];
  const queue = [dir];
  let visited = 0;
  while (queue.length && found.length < limit && visited < maxDirs) {
    const current = queue.shift()!;
    visited++;
    const entries = await wfs.readDir(current);
    if (!entries) continue;
    for (const entry of entries.sort()) {
      if (entry.endsWith('/')) {
        const name = entry.slice(0, -1);
        if (!/^(node_modules|\.git|target|dist|build|out|vendor|\.venv|venv|__pycache__|\..*)$/.test(name)) queue.push(joinPath(current, name));
      } else if (accept(entry)) {
        found.push(joinPath(current, entry));
        if (found.length >= limit) break;
      }
    }
  }
  return found;
}

/**
 * Where a new import line goes in an existing file: after the last top-level import statement (multi-line
 * imports included), else at the top.
 */
export function importAfterLastImport(content: string, line: string, isImport: RegExp): { insertAt: number; text: string } {
  const lines = content.split('\n');
  let last = -1;
  const open = (l: string) => (l.match(/[({]/g)?.length ?? 0) - (l.match(/[)}]/g)?.length ?? 0);
  for (let i = 0; i < lines.length; i++) {
    if (!isImport.test(lines[i])) continue;
    let j = i;
    let depth = open(lines[i]);
    while (depth > 0 && j + 1 < lines.length) depth += open(lines[++j]);
    last = j;
    i = j;
  }
  if (last === -1) return { insertAt: 0, text: line + '\n\n' };
  const insertAt = lines.slice(0, last + 1).join('\n').length + 1;
  if (insertAt > content.length) return { insertAt: content.length, text: '\n' + line + '\n' };
  return { insertAt, text: line + '\n' };
}

/** Where the framework was found and which test file it is. */
interface SetupBase {
  framework: TestFramework;
  evidence: string;
  testFilePath: string;
  supportFile?: SupportFile;
}

/** A test file to create: the scaffold around the tests is the whole file. */
export function newFileSetup(o: SetupBase & { scaffoldBefore: string; scaffoldAfter: string; indentation: string }): TestSetup {
  return { ...o, exists: false, sameFile: false, existingContent: '', insertAt: 0 };
}

/** Tests inserted into an existing file at `insertAt`. */
export function existingFileSetup(
  o: SetupBase & {
    content: string;
    insertAt: number;
    scaffoldBefore: string;
    scaffoldAfter: string;
    indentation: string;
    addImport?: { insertAt: number; text: string };
    sameFile?: boolean;
  },
): TestSetup {
  const { content, addImport, sameFile, ...rest } = o;
  return { ...rest, exists: true, sameFile: sameFile ?? false, existingContent: content, ...(addImport ? { addImport } : {}) };
}

/** Tests added at the end of an existing file, after its text and `blankLines` empty lines. */
export function appendedSetup(o: SetupBase & { content: string; blankLines: number; addImport?: { insertAt: number; text: string }; scaffold?: { before: string; after: string; indentation: string }; sameFile?: boolean }): TestSetup {
  const trimmed = o.content.replace(/\s+$/, '');
  // The file's own final line break (if any) stays after the new tests.
  const after = o.content.slice(trimmed.length).includes('\n') ? '' : '\n';
  const separator = trimmed ? '\n'.repeat(o.blankLines + 1) : '';
  return existingFileSetup({
    framework: o.framework,
    evidence: o.evidence,
    testFilePath: o.testFilePath,
    content: o.content,
    insertAt: trimmed.length,
    scaffoldBefore: separator + (o.scaffold?.before ?? ''),
    scaffoldAfter: (o.scaffold?.after ?? '') + after,
    indentation: o.scaffold?.indentation ?? '',
    addImport: o.addImport,
    sameFile: o.sameFile,
    ...(o.supportFile ? { supportFile: o.supportFile } : {}),
  });
}
