// Shared helpers for the integration suites, which run inside the VS Code extension host.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { StatusSnapshot } from '../../../src/vscode/statusBar';

export const EXTENSION_ID = 'infill.infill';

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/** The fake servers, loaded from the compiled test support (out/test/support/fakeServers.js). */
export function fakeServers(): typeof import('../../support/fakeServers') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(__dirname, '..', '..', 'support', 'fakeServers.js'));
}

export async function activateExtension(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed in the development host`);
  await ext.activate();
  assert.ok(ext.isActive, 'extension is active');
}

export async function statusState(): Promise<StatusSnapshot> {
  const state = await vscode.commands.executeCommand<StatusSnapshot>('infill._testState');
  assert.ok(state, 'infill._testState answers (INFILL_TEST=1 must reach the extension host)');
  return state;
}

/** Polls until `check` returns a truthy value, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await check();
    if (last) return last;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** Sets user (global) settings; `undefined` removes one. */
export async function setUserSettings(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('infill');
  for (const [key, value] of Object.entries(values)) {
    await config.update(key, value, vscode.ConfigurationTarget.Global);
  }
}
