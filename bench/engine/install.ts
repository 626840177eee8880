// node-llama-cpp (the real llama.cpp engine, in-process) is installed on demand into a bench-local folder, so
// it never becomes a dependency of the extension. Prebuilt CPU binaries only: no build, no download at run time.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CACHE_DIR } from './models';

/** Pinned so every machine measures the same engine. */
export const NODE_LLAMA_CPP_VERSION = '3.22.1';

export interface EngineInstall { dir: string; entry: string; installedMs: number; alreadyInstalled: boolean }

function prebuiltPackage(): string {
  return `@node-llama-cpp/${process.platform}-${process.arch}`;
}

function entryOf(dir: string): string {
  return path.join(dir, 'node_modules', 'node-llama-cpp', 'dist', 'index.js');
}

function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`.trim()));
      else resolve(stdout);
    });
  });
}

/** Installs node-llama-cpp and the prebuilt binary for this platform into `cacheDir/node-llama-cpp`. */
export async function ensureNodeLlamaCpp(cacheDir = CACHE_DIR): Promise<EngineInstall> {
  const dir = path.join(cacheDir, 'node-llama-cpp');
  const entry = entryOf(dir);
  const prebuilt = path.join(dir, 'node_modules', ...prebuiltPackage().split('/'));
  if (fs.existsSync(entry) && fs.existsSync(prebuilt)) return { dir, entry, installedMs: 0, alreadyInstalled: true };
  fs.mkdirSync(dir, { recursive: true });
  // Its own package.json makes this folder its own npm project, apart from the extension's.
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'infill-bench-engine', private: true }, null, 2));
  const t0 = performance.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // --ignore-scripts: the postinstall would try to build llama.cpp from source when no prebuilt binary fits;
  // the prebuilt package is all we use (getLlama({ build: 'never' })).
  await run(npm, ['install', '--no-audit', '--no-fund', '--omit=optional', '--ignore-scripts',
    `node-llama-cpp@${NODE_LLAMA_CPP_VERSION}`, `${prebuiltPackage()}@${NODE_LLAMA_CPP_VERSION}`], dir, 5 * 60_000);
  if (!fs.existsSync(entry)) throw new Error(`node-llama-cpp installed but ${entry} is missing`);
  return { dir, entry, installedMs: performance.now() - t0, alreadyInstalled: false };
}

/** The subset of node-llama-cpp's API the bench uses (it is ESM and not a dependency, so no imported types). */
export interface NlcToken { readonly __token?: never }
export interface NlcSequence {
  readonly nextTokenIndex: number;
  readonly contextTokens: number[];
  clearHistory(): Promise<void>;
  eraseContextTokenRanges(ranges: { start: number; end: number }[]): Promise<void>;
  evaluate(tokens: number[], options?: Record<string, unknown>): AsyncGenerator<number, void, void>;
}
export interface NlcContext { getSequence(): NlcSequence; dispose(): Promise<void> }
export interface NlcModel {
  tokenize(text: string, specialTokens?: boolean): number[];
  createContext(options: Record<string, unknown>): Promise<NlcContext>;
  dispose(): Promise<void>;
}
export interface NlcLlama {
  readonly llamaCppRelease: { repo: string; release: string };
  readonly buildType: string;
  loadModel(options: { modelPath: string }): Promise<NlcModel>;
  dispose(): Promise<void>;
}
export interface NlcModule { getLlama(options: Record<string, unknown>): Promise<NlcLlama> }

export async function importNodeLlamaCpp(install: EngineInstall): Promise<NlcModule> {
  // A real dynamic import (TypeScript keeps import() in node16 CommonJS output): the package is ESM-only.
  return (await import(pathToFileURL(install.entry).href)) as NlcModule;
}
