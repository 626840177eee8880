// What the VS Code adapter shares between its parts (provider, status bar, commands, code actions).
// Built once in extension.ts; everything here is already wired to the user's settings.
import type * as vscode from 'vscode';
import type { Backend } from '../backend/types';
import type { InfillConfig } from '../config/types';
import type { TemplateResult } from '../pipeline/engine';
import type { FimFamily } from '../prompt/types';

export interface ExtensionServices {
  log: vscode.LogOutputChannel;
  /** Current settings (re-read on every call, so changes apply at once). */
  config(): InfillConfig;
  /** A backend for the current settings, with the API key from SecretStorage. */
  backend(): Promise<Backend>;
  /**
   * The FIM template for the configured model, or a user-facing reason why there is none
   * (the model is chat-only, or does not exist).
   */
  resolveTemplate(signal?: AbortSignal): Promise<TemplateResult>;
  /** Remember the FIM format of the configured model at the configured endpoint (asked once by Check Setup). */
  rememberTemplate(family: FimFamily): Promise<void>;
  /** Show a failure in the status bar and the log, with the user-facing reason. */
  reportError(error: unknown, during: string): void;
}
