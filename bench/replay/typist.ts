// The simulated user: types at a realistic, seeded rhythm (lognormal gaps between keys, longer pauses at line
// ends and now and then to think), and accepts a suggestion with Tab when it matches what they are about to type.

/** Deterministic PRNG (mulberry32): the same keystroke timings on every run and machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TypistOptions {
  /** Median gap between two keys inside a burst (ms); 190 ms ≈ 60 words per minute. */
  keyMedianMs: number;
  keySigma: number;
  /** Extra pause after Enter (reading, thinking about the next line). */
  lineEndMedianMs: number;
  lineEndSigma: number;
  /** Chance, per key, of a longer pause to think. */
  thinkChance: number;
  thinkMedianMs: number;
  /** How long a suggestion must have been on screen before the user can judge it. */
  reactionMs: number;
  /** Pause after accepting with Tab (looking at the inserted text). */
  afterAcceptMs: number;
  /** A suggestion is accepted only when at least this many of its characters match what comes next. */
  minAcceptChars: number;
  /**
   * What a Tab takes. 'prefix': the longest matching prefix, cut at any character (kind: wrong lines after it cost
   * nothing). 'lines': as VS Code allows, the whole suggestion when all of it matches, else only its matching whole
   * lines ("Accept Next Line"), else nothing.
   */
  accept: TypistAccept;
  /** Chance, per letter typed, of a wrong letter first, noticed and erased with Backspace (cursor goes back: the cache's case). */
  typoChance: number;
  /** Time to notice a typo before pressing Backspace. */
  typoNoticeMs: number;
  seed: number;
}

export type TypistAccept = 'prefix' | 'lines';

export const DEFAULT_TYPIST: TypistOptions = {
  keyMedianMs: 190,
  keySigma: 0.45,
  lineEndMedianMs: 650,
  lineEndSigma: 0.6,
  thinkChance: 0.03,
  thinkMedianMs: 1500,
  reactionMs: 200,
  afterAcceptMs: 350,
  minAcceptChars: 4,
  accept: 'prefix',
  typoChance: 0.03,
  typoNoticeMs: 300,
  seed: 20261122,
};

export class Typist {
  private readonly random: () => number;
  constructor(readonly options: TypistOptions = DEFAULT_TYPIST) {
    this.random = seededRandom(options.seed);
  }

  private lognormal(median: number, sigma: number): number {
    // Box-Muller: one standard normal sample.
    const u = Math.max(1e-12, this.random()), v = this.random();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * z);
  }

  /** Gap before the key after one that typed `typed`. */
  gapAfter(typed: string): number {
    const o = this.options;
    let gap = Math.min(1500, Math.max(35, this.lognormal(o.keyMedianMs, o.keySigma)));
    if (typed.startsWith('\n')) gap += Math.min(6000, this.lognormal(o.lineEndMedianMs, o.lineEndSigma));
    if (this.random() < o.thinkChance) gap += Math.min(8000, this.lognormal(o.thinkMedianMs, 0.5));
    return gap;
  }

  /** A wrong letter for `correct`, or undefined when the user types this key right (most of the time). */
  typoFor(correct: string): string | undefined {
    if (!/^[a-z]$/i.test(correct) || this.random() >= this.options.typoChance) return undefined;
    const letters = 'etaoinshrdlucmfwypvbgk';
    let wrong = letters[Math.floor(this.random() * letters.length)];
    if (wrong === correct.toLowerCase()) wrong = wrong === 'e' ? 't' : 'e';
    return correct === correct.toUpperCase() ? wrong.toUpperCase() : wrong;
  }

  gapAfterTypo(): number {
    return this.options.typoNoticeMs + Math.min(1500, this.lognormal(this.options.keyMedianMs, this.options.keySigma));
  }

  gapAfterAccept(): number {
    return this.options.afterAcceptMs + Math.min(3000, this.lognormal(this.options.keyMedianMs, this.options.keySigma));
  }

  /** Characters of `suggestion` the user accepts given what they are about to type (0 = keeps typing). */
  acceptLength(suggestion: string, upcoming: string): number {
    let m = 0;
    const n = Math.min(suggestion.length, upcoming.length);
    while (m < n && suggestion.charCodeAt(m) === upcoming.charCodeAt(m)) m++;
    // Whole lines only: a line counts with its line break; the last line counts when the whole suggestion matched.
    if (this.options.accept === 'lines' && m < suggestion.length) m = m > 0 ? suggestion.lastIndexOf('\n', m - 1) + 1 : 0;
    return m >= this.options.minAcceptChars ? m : 0;
  }
}

/** The next key event at `pos`: one character, or Enter together with the indentation the editor adds. */
export function nextKeyText(text: string, pos: number, end: number): string {
  if (text[pos] !== '\n') return text[pos];
  let i = pos + 1;
  while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(pos, i);
}
