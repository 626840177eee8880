// Placeholder until issue 5 lands: "Generate Function from Comment" and "Write Tests for This".
import type * as vscode from 'vscode';
import type { ExtensionServices } from '../services';

export function registerGenerationCommands(_context: vscode.ExtensionContext, _services: ExtensionServices): void {
  // Replaced by the commands implementation.
}
