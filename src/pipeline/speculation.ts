// The next suggestion, ready when Tab is pressed. While a suggestion is on screen the server is usually idle (the
// user reads it), so the engine asks, in the background, for the suggestion at the place where accepting it leads.
// Its answer goes into the cache, where the provide() after the accept finds it at once; if the user gets there
// while it still streams, that provide() takes the request over instead of starting another. The moment the
// user's typing leaves the path to that place (types something else, moves away), the request is stopped.
//
// Only the whole suggestion is speculated on: after accepting its first line (or any part of it), the rest is
// the same suggestion's remainder, which typed-through reuse shows without a request. A suggestion that ends its
// line leads past the Enter the user presses next: a request at the end of a finished line would bring nothing.
// A suggestion that leaves its line unfinished is not speculated on: the user goes on along that line.
// The request starts once the user has taken the whole suggestion (Tab, or typed to its end): starting it when the
// suggestion is shown cost half again as many requests in the replay, most for suggestions never taken, and with
// one server slot their prompts pushed the user's own out of the cache.
import { cacheKey } from '../cache/completionCache';
import { anchorOf, remainderAfter, typedSince, type SuggestionAnchor } from '../cache/typedThrough';
import type { ContextBudget, DocumentContext, DocumentSnapshot, Position } from '../document/types';
import { buildDocumentContext } from '../document/documentContext';
import { isFinishedLine } from '../decisions';
import { isIndentLanguage } from '../text/code';
import type { InFlight } from './modelRequest';

/**
 * The document after accepting `text` at `position`, with the cursor at the end of the inserted text; when that
 * ends a line, after the Enter the user presses next (with the editor's indentation: the line's own, one level
 * deeper after a block opener), since that is where the next suggestion is wanted.
 */
export function acceptedPlace(snapshot: DocumentSnapshot, position: Position, text: string): { snapshot: DocumentSnapshot; position: Position; text: string } {
  const lines = snapshot.text.split('\n');
  const line = lines[position.line] ?? '';
  const rest = line.slice(position.character);
  const accepted = (line.slice(0, position.character) + text).split('\n');
  const lastLine = accepted[accepted.length - 1];
  let inserted = text;
  const prefixBefore = snapshot.text.split('\n').slice(Math.max(0, position.line - 8), position.line).join('\n');
  const finished = isFinishedLine({ languageId: snapshot.languageId, prefix: `${prefixBefore}\n${lastLine}`, lineSuffix: rest })
    || opensBlock(lastLine, snapshot.languageId);
  if (rest.trim() === '' && lastLine.trim() !== '' && finished) {
    const indent = /^[ \t]*/.exec(lastLine)![0] + (opensBlock(lastLine, snapshot.languageId) ? indentUnit(lines) : '');
    inserted += '\n' + indent;
  }
  const after = (line.slice(0, position.character) + inserted).split('\n');
  lines.splice(position.line, 1, ...after.slice(0, -1), after[after.length - 1] + rest);
  return {
    snapshot: { ...snapshot, text: lines.join('\n'), version: snapshot.version + 1 },
    position: { line: position.line + after.length - 1, character: after[after.length - 1].length },
    text: inserted,
  };
}

function opensBlock(line: string, languageId: string): boolean {
  const code = line.replace(/\s+(#|\/\/).*$/, '').trimEnd();
  return isIndentLanguage(languageId) ? code.endsWith(':') : /[{([]$/.test(code);
}

/** The file's indentation step: a tab, or the smallest indentation of its first code lines (4 spaces if none). */
function indentUnit(lines: string[]): string {
  let smallest = 0;
  for (const l of lines.slice(0, 400)) {
    // Block-comment continuation lines (" * text") stand one space in.
    const m = /^( +|\t+)[^\s*]/.exec(l);
    if (!m) continue;
    if (m[1][0] === '\t') return '\t';
    if (smallest === 0 || m[1].length < smallest) smallest = m[1].length;
  }
  return ' '.repeat(smallest || 4);
}

/** What the engine lets speculation do: start a background request (refused while the slot is busy), look in the cache. */
export interface SpeculationHost {
  start(editorId: string, doc: DocumentContext): InFlight | undefined;
  cached(doc: DocumentContext): boolean;
  budget(): ContextBudget;
}

interface Target {
  editorId: string;
  /** Where the suggestion was offered, and the text that leads from there to `doc`. */
  from: SuggestionAnchor;
  text: string;
  doc: DocumentContext;
  request?: InFlight;
  attempts: number;
  /** Length of the offered suggestion itself (`text` may add the Enter after it). */
  offered: number;
  /** Set once the user has taken the whole suggestion (Tab, or typed to its end). */
  taken?: boolean;
}

const MAX_ATTEMPTS = 3;

/** A suggestion just offered to the user: where, what, and the request it came from if that still streams. */
export interface Offer {
  editorId: string;
  snapshot: DocumentSnapshot;
  position: Position;
  doc: DocumentContext;
  text: string;
  running?: InFlight;
  /** False once the offer is out of date (a newer keystroke in that editor). */
  current(): boolean;
}

export class Speculation {
  private target: Target | undefined;
  /** Cache entries speculative requests made, with their ids: a hit on one shows that request's text for the first time. */
  private readonly entries = new Map<string, number>();
  /** Speculative requests started, and their answers the user then reached. */
  private startedValue = 0;
  /** The editor whose user has taken the suggestion and is on the way to the target (as of the last visit). */
  private leadingOn: string | undefined;

  constructor(private readonly host: SpeculationHost) {}

  /**
   * A suggestion was offered: aim at the place accepting it leads to (replacing any older aim). One from a request
   * that still streams is only its first lines: the aim waits for the whole text.
   */
  offer(o: Offer): void {
    if (!o.running) {
      this.aim(o.editorId, o.snapshot, o.position, o.doc, o.text);
      return;
    }
    const ahead = typedSince(o.running.anchor, o.doc);
    void o.running.result.then(final => {
      const rest = final !== undefined && ahead ? remainderAfter(final, ahead) : undefined;
      if (rest !== undefined && o.current()) this.aim(o.editorId, o.snapshot, o.position, o.doc, rest);
    });
  }

  private aim(editorId: string, snapshot: DocumentSnapshot, position: Position, offeredFrom: DocumentContext, text: string): void {
    if (text.trim() === '') return;
    const place = acceptedPlace(snapshot, position, text);
    // Not a finished line: after the accept the user goes on along it, and asks there themselves.
    if (place.text === text) return;
    const doc = buildDocumentContext(place.snapshot, place.position, this.host.budget());
    if (this.target && cacheKey(this.target.doc) === cacheKey(doc)) return;
    this.drop();
    if (this.host.cached(doc)) return;
    this.target = { editorId, from: anchorOf(offeredFrom), text: place.text, doc, attempts: 0, offered: text.length };
  }

  /** A speculative request's answer went into the cache for its place. */
  remember(request: InFlight): void {
    if (this.entries.size >= 256) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(cacheKey(request.doc), request.id);
  }

  /** The speculative request whose answer the cache holds for this place, if one made it. */
  entryAt(doc: DocumentContext): number | undefined {
    return this.entries.get(cacheKey(doc));
  }

  forgetEntries(): void {
    this.entries.clear();
  }

  /** Starts the aimed-at request if it has not run yet and the server slot is free (called again when it frees). */
  tryStart(): void {
    const t = this.target;
    if (!t || !t.taken || (t.request && !t.request.done)) return;
    // Stopped (with no reason of its own) to let a user request go first: try again, a couple of times at most.
    const yielded = t.request?.controller.signal.aborted && t.request.abortReason === undefined;
    if (t.request && (!yielded || t.attempts >= MAX_ATTEMPTS || this.host.cached(t.doc))) return;
    t.request = this.host.start(t.editorId, t.doc);
    if (t.request) { this.startedValue++; t.attempts++; }
  }

  /**
   * The user's editor is now at `doc`. Off the path to the target: the speculation is dropped. At the target while
   * its request still streams: returns that request for the caller to take over (it is no longer speculative).
   */
  visit(editorId: string, doc: DocumentContext): InFlight | undefined {
    const t = this.target;
    if (this.leadingOn === editorId) this.leadingOn = undefined;
    if (!t || t.editorId !== editorId) return undefined;
    const ahead = typedSince(t.from, doc);
    if (!ahead || !t.text.startsWith(ahead.typed)) {
      this.drop();
      return undefined;
    }
    if (ahead.typed.length < t.text.length) {
      if (ahead.typed.length >= t.offered && !t.taken) {
        t.taken = true;
        this.tryStart();
      }
      if (t.taken) this.leadingOn = editorId;
      return undefined;
    }
    if (cacheKey(doc) !== cacheKey(t.doc)) return undefined;
    // Arrived: the cache or the running request answers from here on.
    const running = t.request && !t.request.done ? t.request : undefined;
    this.target = undefined;
    return running;
  }

  /**
   * True when the editor's user has taken the whole suggestion and stands between its end and the target (the
   * Enter not pressed yet): the speculation is working for the place they are going to, so a request here (at
   * the end of the accepted line) would only push it out of the server slot.
   */
  leadsOn(editorId: string): boolean {
    return this.leadingOn === editorId && this.target !== undefined;
  }

  /** Stops the speculative request, if any, and forgets the target. */
  drop(): void {
    const request = this.target?.request;
    if (request && !request.done) {
      request.abortReason ??= 'diverged';
      request.controller.abort();
    }
    this.target = undefined;
    this.leadingOn = undefined;
  }

  get started(): number {
    return this.startedValue;
  }
}
