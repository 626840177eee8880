// Workspace files for the context stage, through vscode.workspace.fs: a WorkspaceFs with timeouts, the folder's
// .gitignore files, and workspace-relative paths.
import * as vscode from 'vscode';
import type { GitignoreFile } from '../context/exclusion';
import { looksBinary, withTimeout, type FileStat, type WorkspaceFs } from '../context/fs';
import { errorMessage } from '../util/errors';
import type { Logger } from '../util/log';

/**
 * Longest wait for one file-system call; past it the file is simply not context this time. Requests never wait
 * this long (the provider's time budget is much shorter): a late answer fills the caches for the next request.
 */
const FS_TIMEOUT_MS = 5000;
const MAX_GITIGNORE_FILES = 300;

export function toPosixRelative(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string | undefined {
  if (uri.scheme !== folder.uri.scheme || uri.authority !== folder.uri.authority) return undefined;
  const base = folder.uri.path.replace(/\/+$/, '');
  if (!uri.path.startsWith(base + '/')) return undefined;
  return uri.path.slice(base.length + 1);
}

export function vscodeFs(folder: vscode.WorkspaceFolder, maxFileBytes: () => number, log: Logger): WorkspaceFs {
  const uriOf = (p: string) => {
    const rel = p.startsWith('/') || /^[a-z]:[\\/]/i.test(p) ? undefined : p;
    return rel !== undefined ? vscode.Uri.joinPath(folder.uri, rel) : folder.uri.with({ path: vscode.Uri.file(p).path });
  };
  const typeOf = (t: vscode.FileType): FileStat['type'] =>
    t & vscode.FileType.File ? 'file' : t & vscode.FileType.Directory ? 'directory' : 'other';
  const decoder = new TextDecoder('utf-8');
  return {
    stat: (p, signal) => withTimeout(FS_TIMEOUT_MS, signal, async () => {
      const st = await vscode.workspace.fs.stat(uriOf(p));
      return { type: typeOf(st.type), size: st.size, mtimeMs: st.mtime };
    }),
    readFile: (p, signal) => withTimeout(FS_TIMEOUT_MS, signal, async () => {
      const uri = uriOf(p);
      const started = Date.now();
      try {
        const st = await vscode.workspace.fs.stat(uri);
        if (!(st.type & vscode.FileType.File) || st.size > maxFileBytes()) {
          log.trace(`Infill context: not read: ${uri.toString()} (type ${st.type}, ${st.size} bytes)`);
          return undefined;
        }
        const bytes = await vscode.workspace.fs.readFile(uri);
        if (Date.now() - started > FS_TIMEOUT_MS / 2) log.trace(`Infill context: slow read of ${uri.toString()}: ${Date.now() - started} ms`);
        return looksBinary(bytes) ? undefined : decoder.decode(bytes);
      } catch (err) {
        log.trace(`Infill context: cannot read ${uri.toString()}: ${errorMessage(err)}`);
        return undefined;
      }
    }),
    listFiles: (p, signal) => withTimeout(FS_TIMEOUT_MS, signal, async () => {
      try {
        const entries = await vscode.workspace.fs.readDirectory(uriOf(p));
        return entries.map(([name, type]) => ({ name, type: typeOf(type) }));
      } catch (err) {
        log.trace(`Infill context: cannot list ${uriOf(p).toString()}: ${errorMessage(err)}`);
        return undefined;
      }
    }),
  };
}

export async function loadGitignores(folder: vscode.WorkspaceFolder, log: Logger): Promise<GitignoreFile[]> {
  try {
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/.gitignore'), '**/node_modules/**', MAX_GITIGNORE_FILES);
    const out: GitignoreFile[] = [];
    for (const uri of uris.sort((a, b) => a.path.localeCompare(b.path))) {
      const rel = toPosixRelative(folder, uri);
      if (rel === undefined) continue;
      try {
        const bytes = await vscode.workspace.fs.readFile(uri);
        out.push({ dir: rel.split('/').slice(0, -1).join('/'), content: new TextDecoder('utf-8').decode(bytes) });
      } catch {
        // Unreadable ignore file: the others still apply.
      }
    }
    return out;
  } catch (err) {
    log.warn(`Infill context: could not list .gitignore files in ${folder.name}: ${errorMessage(err)}`);
    return [];
  }
}
