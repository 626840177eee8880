// "Generate Function from Comment" and "Write Tests for This": registered by extension.ts.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { registerGenerateFunction } from './generateFunction';
import { cancelAllGenerations } from './shared';
import { registerWriteTests } from './writeTests';

export function registerGenerationCommands(context: vscode.ExtensionContext, services: ExtensionServices): void {
  context.subscriptions.push(...registerGenerateFunction(services), ...registerWriteTests(services));
  // Integration tests cannot click a notification's Cancel button; this does what it does.
  if (process.env.INFILL_TEST === '1') {
    context.subscriptions.push(vscode.commands.registerCommand('infill._cancelGenerations', () => cancelAllGenerations()));
  }
}
