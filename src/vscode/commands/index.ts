// "Generate Function from Comment" and "Write Tests for This": registered by extension.ts.
import type * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { registerGenerateFunction } from './generateFunction';
import { registerWriteTests } from './writeTests';

export function registerGenerationCommands(context: vscode.ExtensionContext, services: ExtensionServices): void {
  context.subscriptions.push(...registerGenerateFunction(services), ...registerWriteTests(services));
}
