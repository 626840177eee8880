// Follows each suggestion from the moment it is shown to its outcome, from what VS Code's stable API tells an
// extension: the items it returned, the item's command (run after an accept, whole only) and document changes.
// VS Code 1.100 has no stable callback for "shown" or for partial accepts (handleDidShowCompletionItem and
// handleDidPartiallyAcceptCompletionItem are proposed API), so a partial accept is recognised as a document
// change that inserts, at the suggestion's place, a strict prefix of it longer than one keystroke.
import type { StatsEvent } from './record';

export interface ShownSuggestion {
  editorId: string;
  language: string;
  model: string;
  /** The suggestion's text (what the user gets), and what replaces its range (text + the rest of the line). */
  text: string;
  insertText: string;
  /** Where the text starts (the cursor when it was shown). */
  line: number;
  character: number;
  source: 'model' | 'cache' | 'typed-through';
  /** The model request it came from (0: none in this session, e.g. the cache). */
  requestId: number;
  /** From the keystroke that asked to the answer. */
  waitedMs: number;
  at: number;
}

export interface DocumentEdit {
  line: number;
  character: number;
  /** Characters replaced (0 for an insertion). */
  rangeLength: number;
  text: string;
}

export interface EditedDocument {
  editorId: string;
  language: string;
  model: string;
  at: number;
  changes: readonly DocumentEdit[];
}

interface Tracked {
  editorId: string;
  language: string;
  model: string;
  requestId: number;
  multiline: boolean;
  /** The part not yet accepted or typed, and where it starts. */
  remaining: string;
  /** What the latest item replaces its range with; an edit inserting it there is an accept on its way. */
  insertText: string;
  line: number;
  character: number;
  partlyAccepted: boolean;
  acceptPending: boolean;
  outcome?: 'accepted' | 'dismissed';
}

/** Items kept for their accept command; older ones can no longer be accepted (VS Code asked again since). */
const MAX_ITEMS = 200;

export class SuggestionTracker {
  private readonly current = new Map<string, Tracked>();
  private readonly items = new Map<number, { tracked: Tracked; text: string }>();
  private nextItemId = 0;

  constructor(private readonly emit: (event: StatsEvent) => void) {}

  /** A suggestion returned to VS Code as ghost text. Returns the id its accept command carries. */
  shown(s: ShownSuggestion): number {
    const id = ++this.nextItemId;
    let tracked = this.current.get(s.editorId);
    const continues = tracked !== undefined && tracked.outcome === undefined && tracked.requestId === s.requestId
      && (s.requestId !== 0 || s.source === 'typed-through');
    if (continues && tracked) {
      if (s.source === 'typed-through') this.emit({ kind: 'typedThrough', ...this.where(tracked, s.at) });
    } else {
      if (tracked) this.finish(tracked, s.at);
      tracked = {
        editorId: s.editorId, language: s.language, model: s.model, requestId: s.requestId,
        multiline: s.text.includes('\n'), remaining: s.text, insertText: s.insertText, line: s.line, character: s.character,
        partlyAccepted: false, acceptPending: false,
      };
      this.current.set(s.editorId, tracked);
      const source = s.source === 'cache' ? 'cache' : 'model';
      this.emit({ kind: 'shown', ...this.where(tracked, s.at), multiline: tracked.multiline, source, ghostTextMs: s.waitedMs });
    }
    Object.assign(tracked, { remaining: s.text, insertText: s.insertText, line: s.line, character: s.character, acceptPending: false });
    this.items.set(id, { tracked, text: s.text });
    if (this.items.size > MAX_ITEMS) this.items.delete(this.items.keys().next().value as number);
    return id;
  }

  /** The accept command of item `id` ran: VS Code inserted the whole item. */
  accepted(id: number, at: number): void {
    const item = this.items.get(id);
    if (!item) return;
    const tracked = item.tracked;
    if (tracked.outcome === 'accepted') return;
    const replaces = tracked.outcome === 'dismissed' ? 'dismissed' : tracked.partlyAccepted ? 'partly' : undefined;
    tracked.outcome = 'accepted';
    this.emit({ kind: 'acceptedWhole', ...this.where(tracked, at), chars: item.text.length, multiline: tracked.multiline, replaces });
    if (this.current.get(tracked.editorId) === tracked) this.current.delete(tracked.editorId);
  }

  /** The user (or VS Code on the user's behalf) changed a document. Undo and redo are not passed here. */
  edited(e: EditedDocument): void {
    const tracked = this.current.get(e.editorId);
    let typed = 0;
    for (const change of e.changes) {
      const effect = tracked && tracked.outcome === undefined && e.changes.length === 1 ? this.effectOn(tracked, change) : 'other';
      if (effect === 'accept') continue;
      if (effect === 'partial' && tracked) {
        this.partlyAccepted(tracked, change.text, e.at);
        continue;
      }
      typed += keystrokeChars(change);
      if (effect === 'other' && tracked && tracked.outcome === undefined) this.finish(tracked, e.at);
    }
    if (typed > 0) this.emit({ kind: 'typed', language: e.language, model: e.model, at: e.at, chars: typed });
  }

  /** Another editor (or none) has the focus: ghost text shows only in the focused editor, so the others' ends. */
  focusMoved(editorId: string | undefined, at: number): void {
    for (const [id, tracked] of [...this.current]) if (id !== editorId) this.finish(tracked, at);
  }

  /** The editor closed: its suggestion ends here. */
  closed(editorId: string, at: number): void {
    const tracked = this.current.get(editorId);
    if (tracked) this.finish(tracked, at);
  }

  /** What an edit means for the suggestion shown in its editor. */
  private effectOn(t: Tracked, change: DocumentEdit): 'accept' | 'partial' | 'along' | 'other' {
    if (change.line !== t.line || change.character !== t.character) return 'other';
    // The whole item inserted at its place: its accept command follows.
    if (change.text.length > 0 && change.text === t.insertText) {
      t.acceptPending = true;
      return 'accept';
    }
    if (change.rangeLength !== 0 || change.text === '' || !t.remaining.startsWith(change.text)) return 'other';
    if (change.text.length < t.remaining.length && change.text.length > 1 && !AUTO_CLOSED_PAIR.test(change.text)) return 'partial';
    // Typed along the suggestion (one keystroke): it stays, shorter.
    this.advance(t, change.text);
    return t.remaining === '' ? 'other' : 'along';
  }

  private partlyAccepted(t: Tracked, text: string, at: number): void {
    const rest = t.remaining.slice(text.length);
    const unit = text.includes('\n') || rest.startsWith('\n') || rest.startsWith('\r\n') ? 'line' : 'word';
    this.emit({ kind: 'acceptedPart', ...this.where(t, at), chars: text.length, unit, multiline: t.multiline, first: !t.partlyAccepted });
    t.partlyAccepted = true;
    this.advance(t, text);
  }

  private advance(t: Tracked, text: string): void {
    t.remaining = t.remaining.slice(text.length);
    const lines = text.split('\n');
    if (lines.length > 1) {
      t.line += lines.length - 1;
      t.character = lines[lines.length - 1].length;
    } else {
      t.character += text.length;
    }
  }

  /** The suggestion is gone: counted as dismissed unless some of it was accepted. */
  private finish(t: Tracked, at: number): void {
    if (this.current.get(t.editorId) === t) this.current.delete(t.editorId);
    if (t.outcome !== undefined) return;
    if (t.partlyAccepted) {
      t.outcome = 'accepted';
      return;
    }
    t.outcome = 'dismissed';
    this.emit({ kind: 'dismissed', ...this.where(t, at) });
  }

  private where(t: Tracked, at: number): { language: string; model: string; at: number } {
    return { language: t.language, model: t.model, at };
  }
}

/** An opening bracket or quote that the editor closed itself: one keystroke, two characters. */
const AUTO_CLOSED_PAIR = /^(?:\(\)|\[\]|\{\}|''|""|``|<>)$/;

/** Characters a change counts as typed: keystroke-sized insertions only (a paste or a refactoring is not typing). */
export function keystrokeChars(change: DocumentEdit): number {
  const text = change.text;
  if (text.length === 1) return 1;
  if (AUTO_CLOSED_PAIR.test(text)) return 1;
  // Enter with the editor's indentation, or Tab inserting spaces: one key.
  if (/^\r?\n[ \t]*$/.test(text) || /^[ \t]{2,8}$/.test(text)) return 1;
  return 0;
}
