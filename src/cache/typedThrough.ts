// Typed-through reuse: when the user types exactly what the ghost text shows, the rest of the suggestion is
// still right. Showing that remainder needs no request at all, which is most of Infill's request economy.
import type { DocumentContext } from '../document/types';

/** Characters of text before the anchor kept to check the user is still typing at the same spot. */
export const ANCHOR_TAIL_CHARS = 256;

/** Where a suggestion was computed, and what it was (or what has streamed of it so far). */
export interface SuggestionAnchor {
  uri: string;
  /** Offset of the cursor when the suggestion was requested. */
  offset: number;
  /** The last ANCHOR_TAIL_CHARS characters before that cursor. */
  tail: string;
  /** The text right of that cursor on its line. */
  lineSuffix: string;
}

export function anchorOf(doc: DocumentContext): SuggestionAnchor {
  return {
    uri: doc.uri,
    offset: doc.offset,
    tail: doc.prefix.slice(-ANCHOR_TAIL_CHARS),
    lineSuffix: doc.lineSuffix,
  };
}

/** Closing characters editors insert by themselves (auto-close) right of the cursor. */
const AUTO_CLOSED = /^[)\]}>"'`]*$/;

export interface TypedAhead {
  /** What the user typed since the anchor ('' when the cursor has not moved). */
  typed: string;
  /**
   * Closing characters the editor auto-inserted right of the cursor since the anchor (e.g. the ")" after
   * typing "("). The remainder must drop them, since they are already in the document.
   */
  autoClosed: string;
}

/**
 * What the user typed at the anchor since then, or undefined when the document moved in any other way
 * (another place, deletion, different text before the anchor, different text right of the cursor).
 */
export function typedSince(anchor: SuggestionAnchor, doc: DocumentContext): TypedAhead | undefined {
  if (doc.uri !== anchor.uri) return undefined;
  const typedLength = doc.offset - anchor.offset;
  if (typedLength < 0 || typedLength > doc.prefix.length) return undefined;
  const before = doc.prefix.slice(0, doc.prefix.length - typedLength);
  // The text before the anchor must be unchanged (as far as both windows see).
  const tail = anchor.tail.length <= before.length ? anchor.tail : anchor.tail.slice(anchor.tail.length - before.length);
  if (!before.endsWith(tail)) return undefined;
  if (doc.lineSuffix === anchor.lineSuffix) return { typed: doc.prefix.slice(before.length), autoClosed: '' };
  if (!doc.lineSuffix.endsWith(anchor.lineSuffix)) return undefined;
  const autoClosed = doc.lineSuffix.slice(0, doc.lineSuffix.length - anchor.lineSuffix.length);
  if (!AUTO_CLOSED.test(autoClosed)) return undefined;
  return { typed: doc.prefix.slice(before.length), autoClosed };
}

/**
 * The part of `suggestion` still to show after the user typed `ahead`, or undefined when the typing diverged
 * from it or nothing is left.
 */
export function remainderAfter(suggestion: string, ahead: TypedAhead): string | undefined {
  if (!suggestion.startsWith(ahead.typed)) return undefined;
  let rest = suggestion.slice(ahead.typed.length);
  if (ahead.autoClosed) {
    // The auto-closed characters now stand right of the cursor: drop them from the end of the first line.
    const nl = rest.indexOf('\n');
    const firstLine = nl === -1 ? rest : rest.slice(0, nl);
    if (!firstLine.endsWith(ahead.autoClosed)) return undefined;
    rest = firstLine.slice(0, firstLine.length - ahead.autoClosed.length) + (nl === -1 ? '' : rest.slice(nl));
  }
  return rest.trim() === '' ? undefined : rest;
}

/**
 * For a suggestion still streaming: true while the typing has not diverged from what has arrived so far
 * (the user may have typed past the streamed text; the rest may still match).
 */
export function compatibleWithStream(streamed: string, ahead: TypedAhead): boolean {
  return streamed.startsWith(ahead.typed) || ahead.typed.startsWith(streamed);
}

/** Reuse of the last suggestion shown in an editor: its remainder after the user's typing, if still valid. */
export function typedThroughRemainder(
  shown: { anchor: SuggestionAnchor; text: string },
  doc: DocumentContext,
): string | undefined {
  const ahead = typedSince(shown.anchor, doc);
  if (!ahead) return undefined;
  return remainderAfter(shown.text, ahead);
}
