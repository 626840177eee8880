// Related context: code from other places that helps the model complete the hole.
import type { DocumentContext } from '../document/types';

export type SnippetSource = 'import' | 'open-tab' | 'recent-edit' | 'recent-view' | 'same-file';

export interface ContextSnippet {
  /** Workspace-relative path, shown to the model. */
  relativePath: string;
  content: string;
  source: SnippetSource;
  /** Relevance to the code at the cursor, higher is better (comparable within one request). */
  score: number;
  /** 0-based line range in the file the snippet came from. */
  startLine?: number;
  endLine?: number;
}

/** Gathers related snippets for a cursor position. Must answer quickly, and respect the signal. */
export interface ContextProvider {
  gather(doc: DocumentContext, signal: AbortSignal): Promise<ContextSnippet[]>;
}

export const noContext: ContextProvider = { gather: async () => [] };
