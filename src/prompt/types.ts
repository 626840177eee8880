// FIM prompt templates: how each model family wants prefix, suffix and related files laid out.
import type { ContextSnippet } from '../context/types';

export type FimFamily =
  | 'qwen'          // Qwen2.5-Coder, Qwen3-Coder
  | 'starcoder'     // StarCoder, StarCoder2, (and SantaCoder-style tokens)
  | 'codellama'     // CodeLlama
  | 'deepseek'      // DeepSeek-Coder v1 (and V2 tokens)
  | 'codegemma'
  | 'codestral'
  | 'granite';

export interface PromptInput {
  prefix: string;
  suffix: string;
  relativePath: string;
  languageId: string;
  /** Related snippets, best first, already cut to the context budget. */
  snippets: ContextSnippet[];
  /** Name of the workspace, for repo-level templates. */
  repoName?: string;
}

export interface FimTemplate {
  family: FimFamily;
  /** A human-readable description listing the models it suits. */
  description: string;
  /** The raw prompt text the model sees. */
  build(input: PromptInput): string;
  /** Stop sequences: the family's end-of-middle / end-of-text / file separator tokens. */
  stop: string[];
  /**
   * The prompt ends with the middle token (prefix-suffix-middle order), so text written after it is the start of
   * the middle: the cursor line's typed text can go there (see withPrompt), as llama.cpp /infill does with `prompt`.
   */
  middleLast?: boolean;
}
