import * as assert from 'node:assert/strict';
import { detectFamily, familyFromName, familyFromTemplate } from '../../../src/prompt/family';
import { OLLAMA_MODELS, OLLAMA_TEMPLATES } from '../../support/fakeServers';

describe('prompt/family', () => {
  it('an explicit setting wins over everything', () => {
    const d = detectFamily({ setting: 'codellama', modelName: 'qwen2.5-coder:1.5b-base', ollama: { template: OLLAMA_TEMPLATES.qwenCoderBase, capabilities: ['completion', 'insert'] } });
    assert.deepEqual([d.family, d.chatOnly], ['codellama', false]);
    assert.match(d.reason, /infill\.template/);
  });

  it('reads the FIM tokens in Ollama\'s template', () => {
    const cases: [string, string, string | undefined, string][] = [
      ['my-model', OLLAMA_TEMPLATES.qwenCoderBase, 'qwen2', 'qwen'],
      ['my-model', OLLAMA_TEMPLATES.starcoder2, 'starcoder2', 'starcoder'],
      ['my-model', OLLAMA_TEMPLATES.codellamaCode, 'llama', 'codellama'],
      ['my-model', OLLAMA_TEMPLATES.deepseekBase, 'llama', 'deepseek'],
      ['my-model', OLLAMA_TEMPLATES.codegemmaCode, 'gemma', 'codegemma'],
      ['my-model', '{{- if .Suffix }}[SUFFIX]{{ .Suffix }}[PREFIX] {{ .Prompt }}{{- end }}', 'llama', 'codestral'],
      ['my-model', '{{- if .Suffix }}<fim_prefix>{{ .Prompt }}<fim_suffix>{{ .Suffix }}<fim_middle>{{- end }}', 'granite', 'granite'],
    ];
    for (const [modelName, template, family, expected] of cases) {
      const d = detectFamily({ modelName, ollama: { template, family, capabilities: ['completion', 'insert'] } });
      assert.equal(d.family, expected, `${template.slice(0, 40)} -> ${d.family}`);
      assert.equal(d.chatOnly, false);
      assert.match(d.reason, /template/);
    }
  });

  it('an Ollama model without insert and without FIM tokens is chat-only, naming what to use', () => {
    const chat = OLLAMA_MODELS.llamaChat;
    const d = detectFamily({ modelName: chat.name, ollama: { template: chat.template, family: chat.family, capabilities: chat.capabilities } });
    assert.equal(d.chatOnly, true);
    assert.equal(d.family, undefined);
    assert.equal(d.reason, 'llama3.2:1b is a chat/instruct model without fill-in-the-middle; use a base/coder model such as qwen2.5-coder:1.5b-base (set infill.model).');
    const ci = detectFamily({ modelName: 'codellama:7b-instruct', ollama: { template: '[INST] {{ .Prompt }} [/INST]', family: 'llama', capabilities: ['completion'] } });
    assert.equal(ci.chatOnly, true);
    assert.match(ci.reason, /codellama:7b-code/);
  });

  it('an Ollama model with insert but unknown tokens still completes natively', () => {
    const d = detectFamily({ modelName: 'mystery:1b', ollama: { template: '{{ if .Suffix }}<X>{{ .Prompt }}<Y>{{ .Suffix }}<Z>{{ end }}', family: 'mystery', capabilities: ['completion', 'insert'] } });
    assert.equal(d.family, undefined);
    assert.equal(d.chatOnly, false);
    assert.match(d.reason, /natively|own template/);
    const named = detectFamily({ modelName: 'starcoder2:7b', ollama: { template: '{{ .Prompt }}', family: 'starcoder2', capabilities: ['completion', 'insert'] } });
    assert.equal(named.family, 'starcoder');
    const fam = detectFamily({ modelName: 'custom', ollama: { template: '{{ .Prompt }}', family: 'starcoder2', capabilities: ['completion', 'insert'] } });
    assert.equal(fam.family, 'starcoder');
  });

  it('older Ollama without capabilities: the template\'s .Suffix decides', () => {
    assert.equal(detectFamily({ modelName: 'x', ollama: { template: '{{ .Prompt }}' } }).chatOnly, true);
    assert.equal(detectFamily({ modelName: 'x', ollama: { template: '{{ if .Suffix }}{{ .Suffix }}{{ end }}' } }).chatOnly, false);
  });

  it('falls back to the model name', () => {
    const names: [string, string][] = [
      ['qwen2.5-coder:1.5b-base', 'qwen'], ['Qwen/Qwen2.5-Coder-7B', 'qwen'], ['qwen3-coder:30b', 'qwen'], ['codeqwen:7b', 'qwen'],
      ['starcoder2:3b', 'starcoder'], ['bigcode/starcoder', 'starcoder'], ['stable-code:3b', 'starcoder'],
      ['codellama:7b-code', 'codellama'], ['CodeLlama-13b-hf', 'codellama'],
      ['deepseek-coder:1.3b-base', 'deepseek'], ['deepseek-coder-v2:16b-lite-base', 'deepseek'],
      ['codegemma:2b', 'codegemma'], ['codestral:22b', 'codestral'], ['granite-code:3b-base', 'granite'], ['ibm-granite/granite-8b-code-base', 'granite'],
    ];
    for (const [name, family] of names) {
      const d = detectFamily({ modelName: name });
      assert.equal(d.family, family, name);
      assert.equal(d.chatOnly, false, name);
    }
    assert.equal(familyFromName('llama3.2:1b'), undefined);
  });

  it('uses llama.cpp\'s model file name', () => {
    const d = detectFamily({ modelName: '', llamacppProps: { model_path: '/models/starcoder2-3b-Q4_K_M.gguf' } });
    assert.equal(d.family, 'starcoder');
    assert.match(d.reason, /file name/);
    // the loaded file beats a stale infill.model
    const stale = detectFamily({ modelName: 'qwen2.5-coder:1.5b-base', llamacppProps: { model_path: 'C:\\models\\codellama-7b.Q4_K_M.gguf' } });
    assert.equal(stale.family, 'codellama');
    const chat = detectFamily({ modelName: 'qwen2.5-coder:1.5b-base', llamacppProps: { model_path: '/m/deepseek-coder-6.7b-instruct.Q4.gguf' } });
    assert.equal(chat.chatOnly, true);
    assert.match(chat.reason, /^deepseek-coder-6\.7b-instruct\.Q4\.gguf is a chat.*llama-server/);
  });

  it('instruct/chat names of base-only FIM families are chat-only; Qwen-Coder instruct is not', () => {
    for (const name of ['starcoder2:15b-instruct', 'deepseek-coder:6.7b-instruct', 'codegemma:7b-it', 'granite-code:8b-instruct', 'codellama:13b-instruct']) {
      const d = detectFamily({ modelName: name });
      assert.equal(d.chatOnly, true, name);
      assert.match(d.reason, /without fill-in-the-middle/);
    }
    assert.equal(detectFamily({ modelName: 'qwen2.5-coder:7b-instruct' }).chatOnly, false);
    const unknownChat = detectFamily({ modelName: 'Mistral-7B-Instruct-v0.3' });
    assert.equal(unknownChat.chatOnly, true);
    assert.match(unknownChat.reason, /qwen2\.5-coder:1\.5b-base/);
  });

  it('unknown names say to set infill.template', () => {
    const d = detectFamily({ modelName: 'my-finetune' });
    assert.equal(d.family, undefined);
    assert.equal(d.chatOnly, false);
    assert.match(d.reason, /infill\.template/);
  });

  it('tells Qwen from CodeGemma and StarCoder from Granite when tokens are shared', () => {
    assert.equal(familyFromTemplate('<|fim_prefix|>x<|file_separator|>'), 'codegemma');
    assert.equal(familyFromTemplate('<|fim_prefix|>x', 'gemma'), 'codegemma');
    assert.equal(familyFromTemplate('<|fim_prefix|>x', 'qwen2'), 'qwen');
    assert.equal(familyFromTemplate('<fim_prefix>x', '', 'granite-code:3b'), 'granite');
    assert.equal(familyFromTemplate('<fim_prefix>x', 'starcoder2'), 'starcoder');
    assert.equal(familyFromTemplate('{{ .Prompt }}'), undefined);
  });
});
