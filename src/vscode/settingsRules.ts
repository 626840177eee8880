// How `infill.*` settings become an InfillConfig. Plain TypeScript (no vscode import) so the rules are unit-tested:
// - endpoint, backend and model come from USER settings only: a cloned repository's .vscode/settings.json
//   must never redirect the user's code to another host (package.json also scopes them "machine");
// - numbers are clamped to the ranges package.json declares, enums and lists are validated,
//   so a typo in settings.json degrades to a default instead of breaking requests.
import { BACKEND_KINDS, type BackendKind } from '../backend/types';
import { DEFAULT_CONFIG, DEFAULT_ENDPOINTS, DEFAULT_MODELS, type InfillConfig } from '../config/types';
import type { FimFamily } from '../prompt/types';

/** What VS Code's `WorkspaceConfiguration.inspect()` returns, reduced to what we read. */
export interface InspectedValue<T = unknown> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/** Reads one `infill.<key>` setting: all scopes, as `inspect()` reports them. */
export type SettingInspector = (key: string) => InspectedValue | undefined;

/** Settings that decide where code is sent: only the user's own settings may set them. */
export const USER_ONLY_KEYS = ['endpoint', 'backend', 'model'] as const;
export type UserOnlyKey = (typeof USER_ONLY_KEYS)[number];

export { BACKEND_KINDS };
export const TEMPLATE_CHOICES: readonly (FimFamily | 'auto')[] =
  ['auto', 'qwen', 'starcoder', 'codellama', 'deepseek', 'codegemma', 'codestral', 'granite'];

/** Inclusive ranges; package.json's `minimum`/`maximum` are generated from the same figures (see the test). */
export const NUMBER_RANGES: Partial<Record<keyof InfillConfig, { min: number; max: number; integer: boolean }>> = {
  maxPrefixTokens: { min: 64, max: 32768, integer: true },
  maxSuffixTokens: { min: 0, max: 16384, integer: true },
  maxContextTokens: { min: 0, max: 32768, integer: true },
  maxTokensSingleLine: { min: 1, max: 1024, integer: true },
  maxTokensMultiline: { min: 1, max: 4096, integer: true },
  temperature: { min: 0, max: 2, integer: false },
  debounceMinMs: { min: 0, max: 2000, integer: true },
  debounceMaxMs: { min: 0, max: 5000, integer: true },
  requestTimeoutMs: { min: 1000, max: 300000, integer: true },
  promptReadTargetMs: { min: 0, max: 60000, integer: true },
  maxFileBytes: { min: 10000, max: 50_000_000, integer: true },
};

/** Where a user-only setting was set somewhere it is ignored. */
export interface IgnoredSetting {
  key: UserOnlyKey;
  scope: 'workspace' | 'workspaceFolder';
}

export interface ResolvedSettings {
  config: InfillConfig;
  /** Workspace attempts to set user-only settings (the caller warns once). */
  ignored: IgnoredSetting[];
  /** User values that could not be used, with what was used instead (the caller warns once). */
  invalid: string[];
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}

function clampNumber(key: keyof InfillConfig, value: unknown, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  const range = NUMBER_RANGES[key];
  if (!range) return value;
  const v = range.integer ? Math.round(value) : value;
  return Math.min(range.max, Math.max(range.min, v));
}

function stringList(value: unknown, fallback: string[]): string[] {
  if (!Array.isArray(value)) return fallback;
  return value.filter(isNonEmptyString).map(s => s.trim());
}

/** An http(s) URL without a trailing slash, or undefined when `raw` is not one. */
export function normalizeEndpoint(raw: unknown): string | undefined {
  if (!isNonEmptyString(raw)) return undefined;
  try {
    const url = new URL(raw.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.toString().replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/**
 * The effective value of a user-only setting: the user's (global) value, else the default.
 * Workspace and workspace-folder values are never used.
 */
export function userOnlyValue<T>(inspected: InspectedValue<T> | undefined): T | undefined {
  return inspected?.globalValue !== undefined ? inspected.globalValue : inspected?.defaultValue;
}

/**
 * Builds the InfillConfig. `get` returns the effective value of a setting VS Code may take from any scope
 * (undefined when unset); `inspect` gives the per-scope values for the user-only settings.
 */
export function resolveSettings(get: (key: string) => unknown, inspect: SettingInspector): ResolvedSettings {
  const ignored: IgnoredSetting[] = [];
  for (const key of USER_ONLY_KEYS) {
    const inspected = inspect(key);
    if (inspected?.workspaceValue !== undefined) ignored.push({ key, scope: 'workspace' });
    if (inspected?.workspaceFolderValue !== undefined) ignored.push({ key, scope: 'workspaceFolder' });
  }

  const invalid: string[] = [];
  const backendRaw = userOnlyValue(inspect('backend'));
  const backend = BACKEND_KINDS.includes(backendRaw as BackendKind) ? (backendRaw as BackendKind) : DEFAULT_CONFIG.backend;
  if (backendRaw !== undefined && backendRaw !== backend) {
    invalid.push(`infill.backend ${JSON.stringify(backendRaw)} is not one of ${BACKEND_KINDS.join(', ')}; using ${backend}`);
  }
  // An endpoint the user did not set follows the backend: switching to llama.cpp needs no second setting.
  const endpointRaw = inspect('endpoint')?.globalValue;
  const endpoint = normalizeEndpoint(endpointRaw) ?? DEFAULT_ENDPOINTS[backend];
  if (endpointRaw !== undefined && endpointRaw !== '' && normalizeEndpoint(endpointRaw) === undefined) {
    invalid.push(`infill.endpoint ${JSON.stringify(endpointRaw)} is not an http(s) URL; using ${endpoint}`);
  }
  const modelRaw = userOnlyValue(inspect('model'));
  // Like the endpoint, a model the user did not set follows the backend (hosted APIs name their own models).
  const userModel = inspect('model')?.globalValue;
  const model = isNonEmptyString(userModel) ? userModel.trim()
    : DEFAULT_MODELS[backend] ?? (isNonEmptyString(modelRaw) ? modelRaw.trim() : DEFAULT_CONFIG.model);

  const templateRaw = get('template');
  const template = TEMPLATE_CHOICES.includes(templateRaw as FimFamily | 'auto')
    ? (templateRaw as FimFamily | 'auto') : DEFAULT_CONFIG.template;
  if (templateRaw !== undefined && templateRaw !== template) {
    invalid.push(`infill.template ${JSON.stringify(templateRaw)} is not one of ${TEMPLATE_CHOICES.join(', ')}; using ${template}`);
  }

  const num = (key: keyof InfillConfig) => clampNumber(key, get(key), DEFAULT_CONFIG[key] as number);
  const bool = (key: keyof InfillConfig) => {
    const v = get(key);
    return typeof v === 'boolean' ? v : (DEFAULT_CONFIG[key] as boolean);
  };

  let debounceMinMs = num('debounceMinMs');
  let debounceMaxMs = num('debounceMaxMs');
  if (debounceMinMs > debounceMaxMs) [debounceMinMs, debounceMaxMs] = [debounceMaxMs, debounceMinMs];
  const keepAliveRaw = get('keepAlive');

  const config: InfillConfig = {
    enabled: bool('enabled'),
    disabledLanguages: stringList(get('disabledLanguages'), DEFAULT_CONFIG.disabledLanguages),
    backend,
    endpoint,
    model,
    template,
    maxPrefixTokens: num('maxPrefixTokens'),
    maxSuffixTokens: num('maxSuffixTokens'),
    maxContextTokens: num('maxContextTokens'),
    maxTokensSingleLine: num('maxTokensSingleLine'),
    maxTokensMultiline: num('maxTokensMultiline'),
    temperature: num('temperature'),
    keepAlive: isNonEmptyString(keepAliveRaw) ? keepAliveRaw.trim() : DEFAULT_CONFIG.keepAlive,
    debounceMinMs,
    debounceMaxMs,
    requestTimeoutMs: num('requestTimeoutMs'),
    promptReadTargetMs: num('promptReadTargetMs'),
    contextEnabled: bool('contextEnabled'),
    recordStatistics: bool('recordStatistics'),
    exclude: stringList(get('exclude'), DEFAULT_CONFIG.exclude),
    maxFileBytes: num('maxFileBytes'),
  };
  return { config, ignored, invalid };
}

/** A workspace's attempt to set a user-only setting, and where it was made (a file, or "workspace settings"). */
export interface OverrideAttempt {
  key: UserOnlyKey;
  where: string;
}

function joinWords(words: string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * Where VS Code takes machine-scoped settings from: the user settings in a local window; in a remote window
 * (Remote-SSH, WSL, dev containers, code-server) only the remote's own settings, never the local user settings.
 */
export function machineSettingsPlace(remoteName: string | undefined): string {
  return remoteName ? 'the Remote settings of this window (Preferences: Open Remote Settings)' : 'your User settings';
}

/** The one notification a session shows when a workspace tries to set where code is sent. */
export function overrideNotice(attempts: readonly OverrideAttempt[], remoteName: string | undefined): string {
  const keys = USER_ONLY_KEYS.filter(key => attempts.some(a => a.key === key)).map(key => `infill.${key}`);
  const places = [...new Set(attempts.map(a => a.where))];
  return `Infill ignores ${joinWords(keys)} in ${joinWords(places)}: the server and model are read only from ` +
    `${machineSettingsPlace(remoteName)}, so a project cannot send your code elsewhere.`;
}

/**
 * Decides what to say about workspace override attempts: each attempt is logged once, and only the first
 * attempts of the session (the life of this object) get a notification.
 */
export class OverrideNotices {
  private readonly seen = new Set<string>();
  private notified = false;

  constructor(private readonly remoteName: string | undefined) {}

  report(attempts: readonly OverrideAttempt[]): { log?: string; notify?: string } {
    const fresh = attempts.filter(a => !this.seen.has(`${a.where}\u0000${a.key}`));
    if (fresh.length === 0) return {};
    for (const a of fresh) this.seen.add(`${a.where}\u0000${a.key}`);
    const message = overrideNotice(fresh, this.remoteName);
    if (this.notified) return { log: message };
    this.notified = true;
    return { log: message, notify: message };
  }
}

/** The command that opens Infill's settings where its machine-scoped settings can be edited in this window. */
export function settingsCommand(remoteName: string | undefined, extensionId: string): { command: string; args: unknown[] } {
  const query = `@ext:${extensionId}`;
  return remoteName
    ? { command: 'workbench.action.openRemoteSettings', args: [{ query }] }
    : { command: 'workbench.action.openSettings', args: [query] };
}

/** Finds `infill.endpoint` / `infill.backend` / `infill.model` keys in a workspace settings.json text. */
export function userOnlyKeysIn(settingsJsonText: string): UserOnlyKey[] {
  return USER_ONLY_KEYS.filter(key => new RegExp(`"infill\\.${key}"\\s*:`).test(settingsJsonText));
}
