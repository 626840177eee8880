// Shared helpers for the integration suites, which run inside the VS Code extension host.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { InfillConfig } from '../../../src/config/types';
import type { StatusSnapshot } from '../../../src/vscode/statusBar';
import type { FakeServer, RecordedRequest } from '../../support/fakeServers';

export const EXTENSION_ID = 'infill.infill';

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/** The fake servers, loaded from the compiled test support (out/test/support/fakeServers.js). */
export function fakeServers(): typeof import('../../support/fakeServers') {
  return require(path.join(__dirname, '..', '..', 'support', 'fakeServers.js'));
}

export async function activateExtension(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed in the development host`);
  await ext.activate();
  assert.ok(ext.isActive, 'extension is active');
}

export interface TestState {
  status: StatusSnapshot;
  config: InfillConfig;
  /** The extension's recent log lines, all levels. */
  log: string[];
  /** Warning notifications the settings showed this session (workspace override attempts). */
  notifications: string[];
}

export async function testState(): Promise<TestState> {
  const state = await vscode.commands.executeCommand<TestState>('infill._testState');
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

/** Waits until the status bar shows an error (whose reason matches `reason`, when given) and returns it. */
export async function waitForErrorStatus(what: string, reason?: RegExp, timeoutMs = 15_000): Promise<StatusSnapshot> {
  const status = await waitFor<StatusSnapshot | undefined>(what, async () => {
    const { status } = await testState();
    return status.kind === 'error' && (!reason || reason.test(status.reason ?? '')) ? status : undefined;
  }, timeoutMs);
  assert.ok(status);
  return status;
}

/** Sets user (global) settings; `undefined` removes one. Waits until the extension sees the new values. */
export async function setUserSettings(values: Partial<Record<keyof InfillConfig, unknown>>): Promise<void> {
  const config = vscode.workspace.getConfiguration('infill');
  for (const [key, value] of Object.entries(values)) {
    await config.update(key, value, vscode.ConfigurationTarget.Global);
  }
  await waitFor('the extension to apply the new user settings', async () => {
    const effective = (await testState()).config as unknown as Record<string, unknown>;
    return Object.entries(values).every(([key, value]) => value === undefined || JSON.stringify(effective[key]) === JSON.stringify(value));
  });
}

/** The workspace folder the test run opened (a fresh copy of test/fixtures/workspace). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri;
}

/** Opens a workspace file in an editor. */
export async function openFile(relativePath: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), relativePath));
  return vscode.window.showTextDocument(doc);
}

/** Types `text` at the cursor (as an edit, the way typing arrives) and leaves the cursor after it. */
export async function typeText(editor: vscode.TextEditor, text: string): Promise<void> {
  const start = editor.selection.active;
  const ok = await editor.edit(builder => builder.insert(start, text));
  assert.ok(ok, 'edit applied');
  const end = editor.document.positionAt(editor.document.offsetAt(start) + text.length);
  editor.selection = new vscode.Selection(end, end);
}

export function moveCursor(editor: vscode.TextEditor, line: number, character: number): void {
  const pos = new vscode.Position(line, character);
  editor.selection = new vscode.Selection(pos, pos);
}

/** The FIM text a generation request carried: raw prompt (our template) plus any native suffix. */
export function sentText(request: RecordedRequest): string {
  return `${readingOrder(String(request.body?.prompt ?? ''))}\u0000${request.body?.suffix ?? ''}`;
}

/**
 * A raw Qwen FIM prompt in reading order: the cursor line's typed text, which Infill sends after the middle token
 * (src/prompt/buildRequest.ts withPrompt), put back before the suffix marker.
 */
export function readingOrder(prompt: string): string {
  const mid = prompt.lastIndexOf('<|fim_middle|>'), suf = prompt.lastIndexOf('<|fim_suffix|>');
  if (mid < 0 || suf < 0 || mid < suf) return prompt;
  const end = mid + '<|fim_middle|>'.length;
  return prompt.slice(0, suf) + prompt.slice(end) + prompt.slice(suf, end);
}

export function generationRequests(server: FakeServer): RecordedRequest[] {
  return server.requests.filter(r => r.path === '/api/generate' || r.path === '/api/chat');
}

/**
 * Asks for ghost text like a user pressing Alt+\ (editor.action.inlineSuggest.trigger), then accepts it like Tab
 * (editor.action.inlineSuggest.commit) until the document contains `expected`. Returns the new text.
 */
export async function triggerAndAccept(editor: vscode.TextEditor, expected: string, timeoutMs = 15_000): Promise<string> {
  const before = editor.document.getText();
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await sleep(400);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    await sleep(100);
    const text = editor.document.getText();
    if (text.includes(expected)) return text;
    if (text !== before) throw new Error(`the document changed, but not to the suggestion:\n${text}`);
  }
  const state = await testState();
  throw new Error(`no ghost text containing ${JSON.stringify(expected)} was accepted within ${timeoutMs} ms; ` +
    `status ${state.status.kind} ${state.status.reason ?? ''}; extension log:\n${state.log.slice(-30).join('\n')}`);
}

/** Closes all editors without saving (untitled ones too), so the next test starts clean and no dialog waits. */
export async function closeAllEditors(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty || doc.isClosed) continue;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * The runner's key bridge (test/integration/vscode-host/run-tests.mjs): real key presses in the workbench page and
 * the ghost text its editor shows. Undefined when the tests run without it (INFILL_TEST_DESKTOP=1).
 */
export function keyBridge(): { press(chord: string): Promise<void>; ghostText(): Promise<string> } | undefined {
  const url = process.env.VSCODE_HOST_KEYS_URL;
  if (!url) return undefined;
  return {
    async press(chord: string): Promise<void> {
      const res = await fetch(`${url}/press`, { method: 'POST', body: chord });
      const body = await res.text();
      assert.strictEqual(res.status, 200, `pressing ${chord}: ${body}`);
    },
    async ghostText(): Promise<string> {
      const res = await fetch(`${url}/ghost-text`);
      const body = await res.text();
      assert.strictEqual(res.status, 200, `reading the ghost text: ${body}`);
      return body;
    },
  };
}
