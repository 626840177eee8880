// TEMPORARY stand-ins for stages other helpers are still writing (template resolver, post-processor,
// multiline decision, VS Code context adapter). Removed as soon as the real ones land.
import type { Backend } from '../backend/types';
import type { InfillConfig } from '../config/types';
import { noContext } from '../context/types';
import type { Postprocessor } from '../postprocess/types';
import type { FimTemplate } from '../prompt/types';

const qwen: FimTemplate = {
  family: 'qwen',
  description: 'Qwen2.5-Coder',
  build: input => `<|fim_prefix|>${input.prefix}<|fim_suffix|>${input.suffix}<|fim_middle|>`,
  stop: ['<|endoftext|>', '<|fim_pad|>', '<|file_sep|>'],
};

export async function pendingResolveTemplate(backend: Backend, config: InfillConfig) {
  const info = await backend.modelInfo(config.model);
  if (!info.exists) return { error: `Model "${config.model}" not found at ${config.endpoint}`, chatOnly: false };
  return { template: qwen };
}

export const pendingPostprocessor: Postprocessor = {
  process: async input => input.output,
  isComplete: async () => false,
};

export const pendingDecideMultiline = (): boolean => false;

export function pendingContext() {
  return { provider: noContext, isExcluded: (_uri: unknown) => false };
}
