import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_CONFIG, DEFAULT_ENDPOINTS, type InfillConfig } from '../../../src/config/types';
import {
  NUMBER_RANGES, OverrideNotices, overrideNotice, resolveSettings, settingsCommand, USER_ONLY_KEYS, userOnlyKeysIn,
  type InspectedValue,
} from '../../../src/vscode/settingsRules';

interface Scopes { defaults?: Record<string, unknown>; user?: Record<string, unknown>; workspace?: Record<string, unknown>; folder?: Record<string, unknown> }

/** Mimics WorkspaceConfiguration: get() = folder > workspace > user > default; inspect() per scope. */
function fakeConfiguration(scopes: Scopes) {
  const defaults = scopes.defaults ?? (DEFAULT_CONFIG as unknown as Record<string, unknown>);
  const inspect = (key: string): InspectedValue => ({
    defaultValue: defaults[key],
    globalValue: scopes.user?.[key],
    workspaceValue: scopes.workspace?.[key],
    workspaceFolderValue: scopes.folder?.[key],
  });
  const get = (key: string) => scopes.folder?.[key] ?? scopes.workspace?.[key] ?? scopes.user?.[key] ?? defaults[key];
  return { get, inspect };
}

function resolve(scopes: Scopes) {
  const c = fakeConfiguration(scopes);
  return resolveSettings(c.get, c.inspect);
}

describe('vscode settings rules', () => {
  it('gives DEFAULT_CONFIG when nothing is set', () => {
    assert.deepStrictEqual(resolve({}).config, DEFAULT_CONFIG);
    assert.deepStrictEqual(resolve({}).ignored, []);
    assert.deepStrictEqual(resolve({}).invalid, []);
  });

  it('ignores endpoint, backend and model from workspace and folder settings, and reports them', () => {
    const { config, ignored } = resolve({
      user: { endpoint: 'http://127.0.0.1:1234', model: 'starcoder2:3b' },
      workspace: { endpoint: 'https://evil.example.com', backend: 'openai', model: 'x', maxPrefixTokens: 2048 },
      folder: { endpoint: 'https://evil2.example.com' },
    });
    assert.strictEqual(config.endpoint, 'http://127.0.0.1:1234');
    assert.strictEqual(config.backend, 'ollama');
    assert.strictEqual(config.model, 'starcoder2:3b');
    // Harmless settings may still come from the workspace.
    assert.strictEqual(config.maxPrefixTokens, 2048);
    assert.deepStrictEqual(ignored, [
      { key: 'endpoint', scope: 'workspace' },
      { key: 'endpoint', scope: 'workspaceFolder' },
      { key: 'backend', scope: 'workspace' },
      { key: 'model', scope: 'workspace' },
    ]);
  });

  it('uses the backend\'s default endpoint when the user did not set one', () => {
    assert.strictEqual(resolve({ user: { backend: 'llamacpp' } }).config.endpoint, DEFAULT_ENDPOINTS.llamacpp);
    assert.strictEqual(resolve({ user: { backend: 'openai' } }).config.endpoint, DEFAULT_ENDPOINTS.openai);
    assert.strictEqual(resolve({ user: { backend: 'openai', endpoint: 'https://api.example.com/' } }).config.endpoint, 'https://api.example.com');
  });

  it('hosted FIM backends bring their own endpoint and model unless the user set them (issue 13 row 10)', () => {
    const codestral = resolve({ user: { backend: 'codestral' } }).config;
    assert.deepStrictEqual([codestral.endpoint, codestral.model], ['https://codestral.mistral.ai', 'codestral-latest']);
    const deepseek = resolve({ user: { backend: 'deepseek' } }).config;
    assert.deepStrictEqual([deepseek.endpoint, deepseek.model], ['https://api.deepseek.com', 'deepseek-chat']);
    assert.strictEqual(resolve({ user: { backend: 'codestral', model: 'codestral-2501' } }).config.model, 'codestral-2501');
    assert.strictEqual(resolve({ user: { backend: 'openai' } }).config.model, DEFAULT_CONFIG.model);
  });

  it('rejects endpoints that are not http(s) URLs, and unknown backends or templates', () => {
    const { config, invalid } = resolve({ user: { endpoint: 'file:///etc/passwd', backend: 'gpt', template: 'nope', model: '  ' } });
    assert.deepStrictEqual(invalid, [
      'infill.backend "gpt" is not one of ollama, llamacpp, openai, codestral, deepseek; using ollama',
      'infill.endpoint "file:///etc/passwd" is not an http(s) URL; using http://127.0.0.1:11434',
      'infill.template "nope" is not one of auto, qwen, starcoder, codellama, deepseek, codegemma, codestral, granite; using auto',
    ]);
    assert.strictEqual(config.endpoint, DEFAULT_ENDPOINTS.ollama);
    assert.strictEqual(config.backend, 'ollama');
    assert.strictEqual(config.template, 'auto');
    assert.strictEqual(config.model, DEFAULT_CONFIG.model);
    assert.strictEqual(resolve({ user: { template: 'starcoder' } }).config.template, 'starcoder');
  });

  it('clamps numbers to their ranges and rounds integers; swaps inverted debounce bounds', () => {
    const { config } = resolve({ user: { maxPrefixTokens: 10, maxTokensMultiline: 1e9, temperature: -3, debounceMinMs: 500, debounceMaxMs: 100, requestTimeoutMs: 2500.7 } });
    assert.strictEqual(config.maxPrefixTokens, NUMBER_RANGES.maxPrefixTokens!.min);
    assert.strictEqual(config.maxTokensMultiline, NUMBER_RANGES.maxTokensMultiline!.max);
    assert.strictEqual(config.temperature, 0);
    assert.deepStrictEqual([config.debounceMinMs, config.debounceMaxMs], [100, 500]);
    assert.strictEqual(config.requestTimeoutMs, 2501);
    assert.strictEqual(resolve({ user: { maxSuffixTokens: 'lots' } }).config.maxSuffixTokens, DEFAULT_CONFIG.maxSuffixTokens);
  });

  it('keeps only non-empty strings in lists', () => {
    const { config } = resolve({ user: { disabledLanguages: ['markdown', 3, '', ' python '], exclude: 'not a list' } });
    assert.deepStrictEqual(config.disabledLanguages, ['markdown', 'python']);
    assert.deepStrictEqual(config.exclude, []);
  });

  it('finds user-only keys in a workspace settings.json text', () => {
    const text = '{\n  // comment\n  "infill.endpoint": "http://x",\n  "infill.model" : "m",\n  "infill.maxPrefixTokens": 3\n}';
    assert.deepStrictEqual(userOnlyKeysIn(text), ['endpoint', 'model']);
    assert.deepStrictEqual(userOnlyKeysIn('{"infill.endpointX": 1}'), []);
  });
});

describe('workspace attempts to set where code is sent', () => {
  const FILE = '.vscode/settings.json';

  it('names the keys in settings order and the place, and says where the values are read instead', () => {
    const local = overrideNotice([{ key: 'model', where: FILE }, { key: 'endpoint', where: FILE }], undefined);
    assert.strictEqual(local, 'Infill ignores infill.endpoint and infill.model in .vscode/settings.json: the server and ' +
      'model are read only from your User settings, so a project cannot send your code elsewhere.');
    const remote = overrideNotice([{ key: 'backend', where: FILE }, { key: 'model', where: 'app.code-workspace' }], 'ssh-remote');
    assert.match(remote, /^Infill ignores infill\.backend and infill\.model in \.vscode\/settings\.json and app\.code-workspace:/);
    assert.match(remote, /read only from the Remote settings of this window/);
    assert.doesNotMatch(remote, /User settings/);
  });

  it('notifies once per session and logs each new attempt once', () => {
    const notices = new OverrideNotices(undefined);
    const first = notices.report([{ key: 'endpoint', where: FILE }]);
    assert.ok(first.notify && first.log === first.notify);
    assert.deepStrictEqual(notices.report([{ key: 'endpoint', where: FILE }]), {}, 'the same attempt again: nothing');
    const second = notices.report([{ key: 'endpoint', where: FILE }, { key: 'model', where: FILE }]);
    assert.strictEqual(second.notify, undefined, 'no second notification in a session');
    assert.match(second.log!, /ignores infill\.model in/);
    assert.doesNotMatch(second.log!, /infill\.endpoint/);
    assert.deepStrictEqual(notices.report([]), {});
  });

  it('opens the Remote settings in a remote window, the user settings otherwise', () => {
    assert.deepStrictEqual(settingsCommand(undefined, 'infill.infill'),
      { command: 'workbench.action.openSettings', args: ['@ext:infill.infill'] });
    assert.deepStrictEqual(settingsCommand('wsl', 'infill.infill'),
      { command: 'workbench.action.openRemoteSettings', args: [{ query: '@ext:infill.infill' }] });
  });
});

describe('package.json contributes.configuration', () => {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8'));
  const properties: Record<string, any> = pkg.contributes.configuration.properties;

  it('declares every InfillConfig field with its default and a description', () => {
    for (const key of Object.keys(DEFAULT_CONFIG) as (keyof InfillConfig)[]) {
      const prop = properties[`infill.${key}`];
      assert.ok(prop, `infill.${key} is contributed`);
      assert.deepStrictEqual(prop.default, DEFAULT_CONFIG[key], `default of infill.${key}`);
      assert.ok(prop.description || prop.markdownDescription, `infill.${key} has a description`);
    }
    assert.strictEqual(Object.keys(properties).length, Object.keys(DEFAULT_CONFIG).length, 'no extra settings');
  });

  it('scopes endpoint, backend and model to the machine (user settings only)', () => {
    for (const key of USER_ONLY_KEYS) assert.strictEqual(properties[`infill.${key}`].scope, 'machine', key);
    // And every setting VS Code keeps out of workspaces (machine or application scope) is read as user-only.
    const machineScoped = Object.entries(properties)
      .filter(([, prop]) => ['machine', 'application', 'application-machine'].includes(prop.scope))
      .map(([name]) => name.replace(/^infill\./, ''));
    assert.deepStrictEqual(machineScoped.sort(), [...USER_ONLY_KEYS].sort());
  });

  it('declares the same ranges the adapter clamps to', () => {
    for (const [key, range] of Object.entries(NUMBER_RANGES)) {
      const prop = properties[`infill.${key}`];
      assert.deepStrictEqual([prop.minimum, prop.maximum], [range!.min, range!.max], key);
      assert.strictEqual(prop.type, range!.integer ? 'integer' : 'number', key);
    }
  });
});
