// Simulated raw model outputs for a HumanEval infilling task, built from the reference middle, and the
// simple stopping heuristics peers use, for comparison. Nothing here is used by the post-processor.

export interface InfillTask {
  task_id: string;
  entry_point: string;
  prompt: string;
  suffix: string;
  canonical_solution: string;
  test: string;
}

export type SimulationName = 'exact' | 'suffix-echo' | 'outer-code' | 'closing-bracket' | 'rest-of-line';
export const SIMULATIONS: SimulationName[] = ['exact', 'suffix-echo', 'outer-code', 'closing-bracket', 'rest-of-line'];

/** Deterministic per-task randomness (mulberry32 over a string hash). */
export function rngFor(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rng: () => number, items: T[]): T {
  return items[Math.floor(rng() * items.length)];
}

function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** The first `count` lines of text, each with its line break. */
function leadingLines(text: string, count: number): string {
  let end = 0;
  for (let i = 0; i < count && end < text.length; i++) {
    const next = text.indexOf('\n', end);
    end = next < 0 ? text.length : next + 1;
  }
  return text.slice(0, end);
}

/** Code a model might run on into once the function is done: always outside the enclosing function. */
const OUTER_CODE = [
  '\n\ndef helper(values):\n    return [value for value in values if value]\n',
  '\n\nif __name__ == "__main__":\n    import doctest\n    doctest.testmod()\n',
  '\nprint(solve([1, 2, 3]))\n',
  '\n\nclass Solution:\n    def run(self, data):\n        return sorted(data)\n',
  '\n\n\ndef test_example():\n    assert True\n',
  '# Example usage:\nresult = main()\nprint(result)\n',
];

/** The indentation of the function the hole is in (the task's entry point), whose end the model overran. */
function entryPointIndent(task: InfillTask): string {
  const header = new RegExp(`^([ \\t]*)(async\\s+)?def\\s+${task.entry_point}\\b`, 'm').exec(task.prompt);
  return header ? header[1] : '';
}

export function simulate(task: InfillTask, name: SimulationName): string {
  const middle = task.canonical_solution;
  const rng = rngFor(`${task.task_id}/${name}`);
  const suffixRestOfLine = task.suffix.split('\n')[0];
  const lineBreak = middle.endsWith('\n') || middle === '' ? '' : '\n';
  switch (name) {
    case 'exact':
      return middle;
    case 'suffix-echo':
      // The next 1-8 lines of the suffix repeated (the first "line" is the rest of the cursor's line).
      return middle + leadingLines(task.suffix, 1 + Math.floor(rng() * 8));
    case 'outer-code': {
      // Unrelated code at the indentation of the function's header, i.e. outside the function.
      const indent = entryPointIndent(task);
      const code = pick(rng, OUTER_CODE)
        .split('\n')
        .map(line => (line ? indent + line : line))
        .join('\n');
      return middle + lineBreak + code;
    }
    case 'closing-bracket': {
      // A duplicated closing-bracket line when the middle has one, else a stray closing line at the
      // indentation of the middle's last line.
      const lines = middle.split('\n');
      const closers = lines.filter(line => /^\s*[)\]}]+[,;]?\s*$/.test(line));
      if (closers.length > 0) return middle + lineBreak + closers[closers.length - 1] + '\n';
      const last = [...lines].reverse().find(line => line.trim() !== '') ?? '';
      return middle + lineBreak + indentOf(last) + pick(rng, [')', ']', '}', '])', ')]']) + '\n';
    }
    case 'rest-of-line':
      return middle + suffixRestOfLine;
  }
}

// ---- Peer heuristics (applied to the raw output) ----

function lastLineOf(text: string): string {
  return text.slice(text.lastIndexOf('\n') + 1);
}

/** Keeps lines [0, end); a cut line break is kept when the cursor's line continues after the insertion. */
function keepLines(output: string, end: number, prefix: string, suffix: string): string {
  const lines = output.split('\n');
  if (end >= lines.length) return output;
  const kept = lines.slice(0, end).join('\n');
  const cursorAtLineStart = lastLineOf(prefix).trim() === '';
  const lineContinues = suffix.split('\n')[0].trim() !== '';
  return kept + (end > 0 && cursorAtLineStart && lineContinues ? '\n' : '');
}

export type HeuristicName = 'first-line' | 'blank-line' | 'suffix-line' | 'indent-scope';
export const HEURISTICS: HeuristicName[] = ['first-line', 'blank-line', 'suffix-line', 'indent-scope'];

export function applyHeuristic(name: HeuristicName, output: string, prefix: string, suffix: string): string {
  const lines = output.split('\n');
  const linePrefix = lastLineOf(prefix);
  switch (name) {
    case 'first-line': {
      let first = 0;
      while (first < lines.length - 1 && lines[first].trim() === '') first++;
      return keepLines(output, first + 1, prefix, suffix);
    }
    case 'blank-line': {
      const seen = lines.findIndex(line => line.trim() !== '');
      const blank = lines.findIndex((line, i) => i > seen && seen >= 0 && line.trim() === '' && i < lines.length - 1);
      return blank < 0 ? output : keepLines(output, blank, prefix, suffix);
    }
    case 'suffix-line': {
      const target = suffix.split('\n').find(line => line.trim() !== '')?.trim();
      if (!target) return output;
      const start = linePrefix.trim() === '' ? 0 : 1;
      const at = lines.findIndex((line, i) => i >= start && line.trim() === target);
      return at < 0 ? output : keepLines(output, at, prefix, suffix);
    }
    case 'indent-scope': {
      const width = (line: string) => indentOf(line).replace(/\t/g, '    ').length;
      const firstIndex = lines.findIndex(line => line.trim() !== '');
      if (firstIndex < 0) return output;
      const base = firstIndex === 0 ? width(linePrefix + lines[0]) : width(lines[firstIndex]);
      const at = lines.findIndex((line, i) => i > firstIndex && line.trim() !== '' && width(line) < base);
      return at < 0 ? output : keepLines(output, at, prefix, suffix);
    }
  }
}
