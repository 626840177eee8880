// Where the true text continues for a request: the replay knows (it types the finished file), the server does not.
import type { CompletionRequest } from '../../src/backend/types';
import type { TruthOracle } from './simulatedBackend';

/**
 * Maps a request back to the cursor it was made for (the request's prefix ends there): a place the typist has been,
 * or (a speculative request) one further on that the finished file's text leads to.
 */
export class RegionTruth implements TruthOracle {
  private candidates: { pos: number; line: number }[] = [];
  constructor(private readonly text: string, private readonly region?: { start: number; end: number }) {}
  visit(pos: number, line: number): void {
    this.candidates.push({ pos, line });
    if (this.candidates.length > 64) this.candidates.shift();
  }
  continuationFor(request: CompletionRequest) {
    for (let i = this.candidates.length - 1; i >= 0; i--) {
      const { pos, line } = this.candidates[i];
      if (pos >= request.prefix.length && this.text.startsWith(request.prefix, pos - request.prefix.length)) {
        return { text: this.text.slice(pos), line, fileText: this.text, cursor: pos };
      }
    }
    const pos = this.ahead(request.prefix);
    if (pos === undefined) return undefined;
    let line = 0;
    for (let i = this.text.indexOf('\n'); i >= 0 && i < pos; i = this.text.indexOf('\n', i + 1)) line++;
    return { text: this.text.slice(pos), line, fileText: this.text, cursor: pos };
  }
  /** A cursor inside the region, past the typist, where the file's text ends with `prefix`. */
  private ahead(prefix: string): number | undefined {
    if (!this.region) return undefined;
    const tail = prefix.slice(-256);
    for (let at = this.text.indexOf(tail, Math.max(0, this.region.start - tail.length)); at >= 0; at = this.text.indexOf(tail, at + 1)) {
      const pos = at + tail.length;
      if (pos > this.region.end) return undefined;
      if (pos >= prefix.length && this.text.startsWith(prefix, pos - prefix.length)) return pos;
    }
    return undefined;
  }
}
