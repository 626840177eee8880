// Per-editor engine state, for the most recently used editors: one user request in flight each, and the last
// suggestion shown there (for typed-through reuse).
import type { SuggestionAnchor } from '../cache/typedThrough';
import type { InFlight } from './modelRequest';

export interface EditorState {
  /** Bumped by every provide(): a provide that wakes from its debounce to find a newer one gives way. */
  generation: number;
  inflight?: InFlight;
  /** The last suggestion shown (or computed) here, for typed-through reuse. */
  shown?: { anchor: SuggestionAnchor; text: string; requestId: number };
}

export const MAX_EDITORS = 64;

export class EditorStates {
  private readonly states = new Map<string, EditorState>();

  /** The editor's state, created on first use; the least recently used idle editor is forgotten past MAX_EDITORS. */
  get(editorId: string): EditorState {
    let state = this.states.get(editorId);
    if (state) {
      // Map order doubles as recency order.
      this.states.delete(editorId);
      this.states.set(editorId, state);
      return state;
    }
    state = { generation: 0 };
    this.states.set(editorId, state);
    if (this.states.size > MAX_EDITORS) {
      for (const [id, old] of this.states) {
        if (old.inflight && !old.inflight.done) continue;
        this.states.delete(id);
        break;
      }
    }
    return state;
  }

  /** Without touching recency (hasSuggestionAt only looks). */
  peek(editorId: string): EditorState | undefined {
    return this.states.get(editorId);
  }

  values(): IterableIterator<EditorState> {
    return this.states.values();
  }

  clear(): void {
    this.states.clear();
  }
}

/** Progressive display: the partial suggestion handed out is what the user sees and types into until the end. */
export function showPartial(editor: EditorState, inflight: InFlight, text: string, typedThrough: boolean): void {
  inflight.shownPartialLength = Math.max(inflight.shownPartialLength ?? 0, text.length);
  if (typedThrough) editor.shown = { anchor: inflight.anchor, text, requestId: inflight.id };
}

/** Stops the editor's request in flight, if any. */
export function abortInflight(editor: EditorState, reason: NonNullable<InFlight['abortReason']>): void {
  const inflight = editor.inflight;
  if (!inflight || inflight.done) return;
  inflight.abortReason ??= reason;
  inflight.controller.abort();
  editor.inflight = undefined;
}
