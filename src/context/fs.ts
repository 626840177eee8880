// The file access the context stage needs, behind a small interface: the VS Code adapter implements it over
// vscode.workspace.fs, the CLI, tests and bench over Node's fs. Every call may give up (undefined) rather than
// throw, and every read has a timeout, so a slow or missing file only means "less context", never a delay.
import * as fs from 'fs';
import * as path from 'path';
import { abortError } from '../util/abort';

export interface FileStat {
  type: 'file' | 'directory' | 'other';
  size: number;
  mtimeMs: number;
}

export interface WorkspaceFs {
  /** Text of a file (workspace-relative or absolute path); undefined when missing, too large, binary or slow. */
  readFile(relOrAbsPath: string, signal?: AbortSignal): Promise<string | undefined>;
  /** undefined when the path does not exist (or the answer is too slow). */
  stat(relOrAbsPath: string, signal?: AbortSignal): Promise<FileStat | undefined>;
  /** Names of the entries of a directory (not recursive), with their types; undefined when unreadable. */
  listFiles?(relOrAbsDir: string, signal?: AbortSignal): Promise<Array<{ name: string; type: FileStat['type'] }> | undefined>;
}

export interface NodeFsOptions {
  /** Relative paths are resolved against this folder. */
  root: string;
  /** Give up on one read after this long (ms). */
  timeoutMs?: number;
  /** Files above this size are not read. */
  maxFileBytes?: number;
}

/** True when the bytes look like a binary file (a NUL byte in the first 8 KB), which we never send to a model. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/**
 * Runs `work` with its own AbortSignal that fires on the caller's signal or after `timeoutMs`; resolves to
 * undefined on timeout or any error, and rejects only when the caller aborted.
 */
export async function withTimeout<T>(
  timeoutMs: number,
  signal: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T | undefined>,
): Promise<T | undefined> {
  if (signal?.aborted) throw abortError();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const timeout = new Promise<undefined>(resolve => {
      timer = setTimeout(() => { controller.abort(); resolve(undefined); }, timeoutMs);
    });
    // The work promise may settle after the timeout; swallow its result so it never becomes unhandled.
    const guarded = work(controller.signal).catch(() => undefined);
    const result = await Promise.race([guarded, timeout]);
    if (signal?.aborted) throw abortError();
    return result;
  } finally {
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

export function createNodeFs(options: NodeFsOptions): WorkspaceFs {
  const timeoutMs = options.timeoutMs ?? 250;
  const maxBytes = options.maxFileBytes ?? 1_000_000;
  const abs = (p: string) => (path.isAbsolute(p) ? p : path.join(options.root, p));
  const typeOf = (s: fs.Stats | fs.Dirent): FileStat['type'] => (s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other');
  return {
    readFile(p, signal) {
      return withTimeout(timeoutMs, signal, async inner => {
        const file = abs(p);
        const st = await fs.promises.stat(file);
        if (!st.isFile() || st.size > maxBytes) return undefined;
        const bytes = await fs.promises.readFile(file, { signal: inner });
        if (looksBinary(bytes)) return undefined;
        return bytes.toString('utf8');
      });
    },
    stat(p, signal) {
      return withTimeout(timeoutMs, signal, async () => {
        const st = await fs.promises.stat(abs(p));
        return { type: typeOf(st), size: st.size, mtimeMs: st.mtimeMs };
      });
    },
    listFiles(dir, signal) {
      return withTimeout(timeoutMs, signal, async () => {
        const entries = await fs.promises.readdir(abs(dir), { withFileTypes: true });
        // A symbolic link says nothing about its target: ask (rare, so the extra stat is fine).
        return Promise.all(entries.map(async e => ({
          name: e.name,
          type: e.isSymbolicLink() ? await fs.promises.stat(path.join(abs(dir), e.name)).then(typeOf, () => 'other' as const) : typeOf(e),
        })));
      });
    },
  };
}
