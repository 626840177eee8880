// Keeps the statistics record on disk without ever making the editor wait: events add to an in-memory delta;
// a write runs at most every `writeDelayMs`, reads the file, adds the delta, bounds the result (90 days) and
// replaces the file. Adding to what is on disk (rather than overwriting it) keeps what other VS Code windows
// recorded meanwhile.
import { addRow, applyEvent, dayOf, emptyRow, normalizeRows, rowKey, sanitizeRow, type StatsEvent, type StatsRow } from './record';

/** Where the record lives: a JSON text file (the extension's global storage in VS Code). */
export interface StatsFile {
  /** The file's text, or undefined when there is none yet. */
  read(): Promise<string | undefined>;
  /** Replaces the file's text (atomically where the platform allows). */
  write(text: string): Promise<void>;
}

export interface StatsStoreOptions {
  file: StatsFile;
  /** Epoch ms; injected so tests choose the day. */
  now?: () => number;
  /** Delay between an event and the write that saves it. Default 5 s. */
  writeDelayMs?: number;
  /** Timer functions; injected so tests run writes when they choose. */
  setTimer?: (run: () => void, ms: number) => { cancel(): void };
  /** A write or read that failed (the record is a convenience: failures never reach the user's editing). */
  onError?: (error: unknown) => void;
}

export interface StatsFileContent {
  version: 1;
  rows: StatsRow[];
}

const FORMAT_VERSION = 1;

export class StatsStore {
  /** What was on disk at the last read or write. */
  private base: StatsRow[] = [];
  /** Events recorded since, by row. */
  private delta = new Map<string, StatsRow>();
  private timer: { cancel(): void } | undefined;
  /** Writes (and clears) run one after another. */
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly setTimer: NonNullable<StatsStoreOptions['setTimer']>;

  constructor(private readonly options: StatsStoreOptions) {
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((run, ms) => {
      const handle = setTimeout(run, ms);
      handle.unref?.();
      return { cancel: () => clearTimeout(handle) };
    });
  }

  /** Reads the file (once at start; a missing or broken file is an empty record). */
  load(): Promise<void> {
    return this.enqueue(async () => { this.base = await this.readRows(); });
  }

  record(event: StatsEvent): void {
    const day = dayOf(event.at);
    const key = rowKey(day, event.language, event.model);
    let row = this.delta.get(key);
    if (!row) this.delta.set(key, row = emptyRow(day, event.language, event.model));
    applyEvent(row, event);
    // A failed write is reported through onError and retried with the next one: nothing to handle here.
    this.timer ??= this.setTimer(() => { this.timer = undefined; this.flush().catch(() => {}); }, this.options.writeDelayMs ?? 5000);
  }

  /** The record as it stands: what is on disk plus what is not written yet, bounded. */
  rows(): StatsRow[] {
    return normalizeRows([...this.base, ...this.delta.values()], dayOf(this.now()));
  }

  /** Writes what was recorded since the last write. Resolves when it is on disk. */
  flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    return this.enqueue(async () => {
      if (this.delta.size === 0) return;
      const delta = [...this.delta.values()];
      this.delta = new Map();
      const onDisk = await this.readRows();
      const rows = normalizeRows([...onDisk, ...delta], dayOf(this.now()));
      try {
        await this.options.file.write(serialize(rows));
        this.base = rows;
      } catch (err) {
        // Not saved: keep it for the next write.
        this.base = onDisk;
        for (const row of delta) this.addToDelta(row);
        throw err;
      }
    });
  }

  /** Forgets everything recorded, on disk and in memory. */
  clear(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    this.delta = new Map();
    this.base = [];
    return this.enqueue(() => this.options.file.write(serialize([])));
  }

  /** The file's content as written (for the JSON export). */
  content(): StatsFileContent {
    return { version: FORMAT_VERSION, rows: this.rows() };
  }

  private addToDelta(row: StatsRow): void {
    const key = rowKey(row.day, row.language, row.model);
    const into = this.delta.get(key);
    if (!into) { this.delta.set(key, row); return; }
    addRow(into, row);
  }

  private async readRows(): Promise<StatsRow[]> {
    let text: string | undefined;
    try {
      text = await this.options.file.read();
    } catch (err) {
      this.options.onError?.(err);
      return this.base;
    }
    return parseStatsFile(text);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch(err => this.options.onError?.(err));
    return run;
  }
}

export function serialize(rows: readonly StatsRow[]): string {
  const content: StatsFileContent = { version: FORMAT_VERSION, rows: [...rows] };
  return JSON.stringify(content);
}

/** Rows from a file's text; anything unreadable is skipped (an empty record rather than an error). */
export function parseStatsFile(text: string | undefined): StatsRow[] {
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const rows = (parsed as { rows?: unknown })?.rows;
  if (!Array.isArray(rows)) return [];
  return rows.map(sanitizeRow).filter((row): row is StatsRow => row !== undefined);
}
