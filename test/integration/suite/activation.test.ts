// The extension activates in a real VS Code 1.100 extension host and contributes its commands and status item.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, testState, waitFor } from './helpers';

describe('activation', () => {
  it('activates on startup and registers its commands', async () => {
    // onStartupFinished: active without us asking (we only wait for it).
    await waitFor('the extension to activate by itself', () => vscode.extensions.getExtension('infill.infill')?.isActive, 20_000);
    await activateExtension();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['infill.checkSetup', 'infill.setApiKey', 'infill.toggle', 'infill.snooze', 'infill.showLog', 'infill.statusMenu']) {
      assert.ok(commands.includes(id), `command ${id} is registered`);
    }
    console.log(`    VS Code ${vscode.version}, appHost ${vscode.env.appHost}, remoteName ${vscode.env.remoteName}`);
    assert.match(vscode.version, /^1\.1\d\d\./);
  });

  it('shows an Infill status bar item', async () => {
    const { status } = await testState();
    assert.match(status.text, /Infill/);
    assert.ok(['idle', 'working', 'error', 'disabled', 'snoozed'].includes(status.kind), `kind ${status.kind}`);
  });

  it('opens the status menu (a quick pick) and closes it without error', async () => {
    const menu = vscode.commands.executeCommand('infill.statusMenu');
    await new Promise(resolve => setTimeout(resolve, 500));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await menu;   // resolves once the pick is dismissed
    const { status } = await testState();
    assert.notStrictEqual(status.kind, 'error', status.reason);
  });
});
